package dev.botfleet.runtime.llm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.botfleet.api.BotParameters;
import dev.botfleet.handler.poe.ProtocolMessage;
import dev.botfleet.handler.poe.QueryRequest;

import java.util.Locale;
import java.util.function.Consumer;

/**
 * What the user chose in the bot's parameter controls, as the newest user message carries it, held to
 * {@code spec.parameters}: only the parameters it maps, and only values of the right type within their bounds (a
 * number may come as a string, as a drop-down sends it). Everything else is left out, and each declared parameter
 * whose value is refused is reported; the bot's own setting then applies. Null fields mean "not chosen".
 *
 * @param reasoningEffort {@code minimal}, {@code low}, {@code medium} or {@code high}
 */
record ChosenParameters(String model, Double temperature, Integer maxTokens, String reasoningEffort) {

    static final ChosenParameters NONE = new ChosenParameters(null, null, null, null);

    /**
     * @param refused told the {@code parameterName} of each declared parameter whose value is refused
     */
    static ChosenParameters of(BotParameters declared, QueryRequest request, Consumer<String> refused) {
        if (declared == null) {
            return NONE;
        }
        JsonNode chosen = newestUserParameters(request);
        return new ChosenParameters(model(declared.getModel(), chosen, refused),
                number(declared.getTemperature(), chosen, refused),
                tokens(declared.getMaxTokens(), chosen, refused),
                effort(declared.getReasoningEffort(), chosen, refused));
    }

    private static JsonNode newestUserParameters(QueryRequest request) {
        for (int i = request.query().size() - 1; i >= 0; i--) {
            ProtocolMessage message = request.query().get(i);
            if (message.role() == ProtocolMessage.Role.USER) {
                return message.parameters();
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    private static String model(BotParameters.ModelChoice declared, JsonNode chosen, Consumer<String> refused) {
        JsonNode value = declared == null ? null : chosen.get(declared.getParameterName());
        if (value == null) {
            return null;
        }
        if (value.isTextual() && declared.getModels().contains(value.asText())) {
            return value.asText();
        }
        refused.accept(declared.getParameterName());
        return null;
    }

    private static Double number(BotParameters.Range declared, JsonNode chosen, Consumer<String> refused) {
        JsonNode value = declared == null ? null : chosen.get(declared.getParameterName());
        if (value == null) {
            return null;
        }
        Double number = asNumber(value);
        if (number != null && number >= declared.getMin() && number <= declared.getMax()) {
            return number;
        }
        refused.accept(declared.getParameterName());
        return null;
    }

    private static Integer tokens(BotParameters.Range declared, JsonNode chosen, Consumer<String> refused) {
        Double number = number(declared, chosen, refused);
        if (number == null) {
            return null;
        }
        if (number != Math.rint(number)) {
            refused.accept(declared.getParameterName());
            return null;
        }
        return number.intValue();
    }

    private static String effort(BotParameters.EffortChoice declared, JsonNode chosen, Consumer<String> refused) {
        JsonNode value = declared == null ? null : chosen.get(declared.getParameterName());
        if (value == null) {
            return null;
        }
        if (value.isTextual() && declared.getValues().stream()
                .anyMatch(effort -> effort.name().toLowerCase(Locale.ROOT).equals(value.asText()))) {
            return value.asText();
        }
        refused.accept(declared.getParameterName());
        return null;
    }

    private static Double asNumber(JsonNode value) {
        if (value.isNumber()) {
            return value.asDouble();
        }
        if (value.isTextual()) {
            try {
                double parsed = Double.parseDouble(value.asText().strip());
                return Double.isFinite(parsed) ? parsed : null;
            } catch (NumberFormatException notANumber) {
                return null;
            }
        }
        return null;
    }
}
