package dev.botfleet.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * The values of parameter controls that the API server admits as any JSON, because one field holds several types,
 * made what Poe's schema takes for them.
 */
public final class ParameterValues {

    private ParameterValues() {
    }

    /**
     * A control's default as Poe takes it: a boolean for a toggle switch, a number for a slider, a string for the
     * rest; the strings "true", "false" and numbers in strings are read as such. Null when it cannot be one.
     */
    public static JsonNode defaultFor(String control, JsonNode given) {
        if (given == null || given.isNull() || given.isContainerNode()) {
            return null;
        }
        return switch (control) {
            case "toggle_switch" -> given.isBoolean() ? given
                    : given.isTextual() && (given.asText().equals("true") || given.asText().equals("false"))
                    ? JsonNodeFactory.instance.booleanNode(Boolean.parseBoolean(given.asText())) : null;
            case "slider" -> given.isNumber() ? given : number(given.asText());
            default -> given.isTextual() ? given : JsonNodeFactory.instance.textNode(given.asText());
        };
    }

    /** A comparison's literal: a scalar as it is, anything else as its JSON text, nothing as "". */
    public static JsonNode literal(JsonNode given) {
        if (given == null || given.isNull()) {
            return JsonNodeFactory.instance.textNode("");
        }
        return given.isValueNode() ? given : JsonNodeFactory.instance.textNode(given.toString());
    }

    private static JsonNode number(String text) {
        try {
            double value = Double.parseDouble(text.strip());
            return Double.isFinite(value) ? JsonNodeFactory.instance.numberNode(value) : null;
        } catch (NumberFormatException notANumber) {
            return null;
        }
    }
}
