package dev.botfleet.cli;

import dev.botfleet.api.manifest.ManifestDocument;
import dev.botfleet.api.manifest.ManifestProblem;

/** One finding of {@code botfleet validate}, printed as {@code file:line: Kind/name: field: message}. */
public record Problem(ManifestDocument document, String field, String message, boolean warning) {

    public static Problem error(ManifestDocument document, String field, String message) {
        return new Problem(document, field, message, false);
    }

    public static Problem error(ManifestProblem problem) {
        return error(problem.document(), problem.field(), problem.message());
    }

    public static Problem warning(ManifestDocument document, String field, String message) {
        return new Problem(document, field, message, true);
    }

    @Override
    public String toString() {
        return document.file() + ":" + document.line(field) + ": " + document.kind() + "/" + document.name() + ": "
                + field + ": " + (warning ? "warning: " : "") + message;
    }
}
