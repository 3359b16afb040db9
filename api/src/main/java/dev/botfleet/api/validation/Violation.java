package dev.botfleet.api.validation;

/** One reason the API server would refuse a manifest: the field (such as {@code spec.temperature}) and why. */
public record Violation(String field, String message) {

    @Override
    public String toString() {
        return field + ": " + message;
    }
}
