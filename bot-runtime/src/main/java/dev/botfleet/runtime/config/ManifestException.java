package dev.botfleet.runtime.config;

/** The manifests cannot be used; the message names the file, the document and the field. */
public class ManifestException extends RuntimeException {

    public ManifestException(String message) {
        super(message, null, false, false);
    }
}
