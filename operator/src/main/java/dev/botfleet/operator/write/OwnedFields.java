package dev.botfleet.operator.write;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Quantity;

import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Whether a stored object still holds what the operator wrote: every field the desired object sets, at the same
 * value, list items in order. What others add is theirs and left alone (defaults the API server fills in, a cluster
 * IP, annotations of {@code kubectl rollout restart}, an autoscaler's replicas when the operator sets none); a field
 * the operator sets and someone changed ({@code kubectl set image}, {@code kubectl scale}) is drift. Values compare
 * as the API server stores them: quantities by amount ({@code 0.5} is {@code 500m}), numbers by value, and an empty
 * list or map as no value (the API server drops them).
 */
final class OwnedFields {

    private static final Pattern QUANTITY =
            Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+|[KMGTPE]i|[numkMGTPE])?");

    private OwnedFields() {
    }

    /** The first field (as {@code .replicas}) that {@code stored} no longer holds as {@code desired} sets it. */
    static Optional<String> drift(JsonNode desired, JsonNode stored) {
        return difference(desired, stored, "");
    }

    private static Optional<String> difference(JsonNode desired, JsonNode stored, String path) {
        if (desired == null || desired.isNull() || (desired.isContainerNode() && desired.isEmpty())) {
            return Optional.empty();
        }
        if (stored == null || stored.isNull() || stored.getNodeType() != desired.getNodeType()) {
            return Optional.of(path);
        }
        if (desired.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = desired.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                Optional<String> inside = difference(field.getValue(), stored.get(field.getKey()),
                        path + "." + field.getKey());
                if (inside.isPresent()) {
                    return inside;
                }
            }
            return Optional.empty();
        }
        if (desired.isArray()) {
            if (desired.size() != stored.size()) {
                return Optional.of(path);
            }
            for (int i = 0; i < desired.size(); i++) {
                Optional<String> inside = difference(desired.get(i), stored.get(i), path + "[" + i + "]");
                if (inside.isPresent()) {
                    return inside;
                }
            }
            return Optional.empty();
        }
        return sameValue(desired, stored) ? Optional.empty() : Optional.of(path);
    }

    private static boolean sameValue(JsonNode desired, JsonNode stored) {
        if (desired.isNumber()) {
            return desired.decimalValue().compareTo(stored.decimalValue()) == 0;
        }
        if (desired.isTextual() && !desired.equals(stored) && QUANTITY.matcher(desired.asText()).matches()
                && QUANTITY.matcher(stored.asText()).matches()) {
            return Quantity.getAmountInBytes(new Quantity(desired.asText()))
                    .compareTo(Quantity.getAmountInBytes(new Quantity(stored.asText()))) == 0;
        }
        return desired.equals(stored);
    }
}
