package dev.botfleet.cli;

/** One finding of {@code botfleet validate}, printed as {@code file:line: Kind/name: field: message}. */
public record Problem(ManifestFile.Document document, String field, String message, boolean warning) {

    public static Problem error(ManifestFile.Document document, String field, String message) {
        return new Problem(document, field, message, false);
    }

    public static Problem warning(ManifestFile.Document document, String field, String message) {
        return new Problem(document, field, message, true);
    }

    @Override
    public String toString() {
        return document.file() + ":" + document.line(field) + ": " + document.kind() + "/" + document.name() + ": "
                + field + ": " + (warning ? "warning: " : "") + message;
    }
}
