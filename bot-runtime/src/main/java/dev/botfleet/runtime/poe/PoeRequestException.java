package dev.botfleet.runtime.poe;

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
}
