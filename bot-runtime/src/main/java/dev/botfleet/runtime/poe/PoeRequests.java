package dev.botfleet.runtime.poe;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import dev.botfleet.handler.poe.PoeRequestException;
import dev.botfleet.handler.poe.QueryRequest;

import java.io.IOException;
import java.util.stream.Collectors;

/**
 * Reads a Poe request body into its typed request: any JSON object with a string {@code type}; unknown keys are
 * ignored, and any problem becomes a {@link PoeRequestException} whose message names the field.
 */
public final class PoeRequests {

    private final ObjectMapper json;

    public PoeRequests(ObjectMapper json) {
        this.json = json.copy()
                .enable(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_USING_DEFAULT_VALUE)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY);
    }

    public PoeRequest read(byte[] body) {
        JsonNode root = object(body);
        String type = root.get("type").asText();
        return switch (type) {
            case "query" -> new PoeRequest.Query(read(root, QueryRequest.class));
            case "settings" -> read(root, PoeRequest.Settings.class);
            case "report_feedback" -> read(root, PoeRequest.ReportFeedback.class);
            case "report_reaction" -> read(root, PoeRequest.ReportReaction.class);
            case "report_error" -> read(root, PoeRequest.ReportError.class);
            default -> new PoeRequest.Unsupported(type);
        };
    }

    /** The parsed body, which must be a JSON object carrying a string {@code type}. */
    private JsonNode object(byte[] body) {
        if (body.length == 0) {
            throw new PoeRequestException(400, "request body is empty");
        }
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (IOException e) {
            throw new PoeRequestException(400, "request body is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw new PoeRequestException(400, "request body must be a JSON object");
        }
        JsonNode type = root.get("type");
        if (type == null || !type.isTextual()) {
            throw new PoeRequestException(400, "field 'type' is required and must be a string");
        }
        return root;
    }

    private <T> T read(JsonNode body, Class<T> type) {
        try {
            return json.treeToValue(body, type);
        } catch (IOException e) {
            throw invalid(e);
        }
    }

    private static PoeRequestException invalid(IOException e) {
        if (e instanceof ValueInstantiationException && e.getCause() instanceof PoeRequestException cause) {
            return cause;
        }
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String field = path(mapping);
            boolean missing = e instanceof MismatchedInputException
                    && String.valueOf(mapping.getOriginalMessage()).startsWith("Missing required");
            if (missing) {
                return new PoeRequestException(400, "field '" + field + "' is required");
            }
            String expected = e instanceof InvalidFormatException ? "has an invalid value" : "has the wrong type";
            return new PoeRequestException(400, "field '" + field + "' " + expected);
        }
        if (e instanceof JsonMappingException mapping && mapping.getOriginalMessage().startsWith("Missing required")) {
            return new PoeRequestException(400, "a required field is missing: " + missingName(mapping));
        }
        return new PoeRequestException(400, "request body does not match the Poe protocol");
    }

    private static String missingName(JsonMappingException e) {
        String message = e.getOriginalMessage();
        int start = message.indexOf('\'');
        int end = message.indexOf('\'', start + 1);
        return start >= 0 && end > start ? "'" + message.substring(start + 1, end) + "'" : "unknown";
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? "." + ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining())
                .replaceFirst("^\\.", "");
    }
}
