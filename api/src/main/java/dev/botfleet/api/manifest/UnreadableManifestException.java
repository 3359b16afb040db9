package dev.botfleet.api.manifest;

/**
 * A manifest path cannot be used at all: missing, unreadable, not YAML, or holding a document that is not an
 * object. The message starts with {@code file:line} and never quotes the file, which may hold a Secret.
 */
public final class UnreadableManifestException extends RuntimeException {

    public UnreadableManifestException(String message) {
        super(message, null, false, false);
    }
}
