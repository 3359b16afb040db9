package dev.botfleet.handler.poe;

/** A Poe request that cannot be served; becomes a 4xx answer with {@code {"detail": message}}. */
public class PoeRequestException extends RuntimeException {

    private final int status;

    public PoeRequestException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }

    /** Refuses a request whose required field is missing or null. */
    public static void requireField(Object value, String field) {
        if (value == null) {
            throw new PoeRequestException(400, "field '" + field + "' is required");
        }
    }
}
