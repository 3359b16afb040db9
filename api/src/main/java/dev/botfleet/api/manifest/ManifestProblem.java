package dev.botfleet.api.manifest;

/** What is wrong with one field of a document, printed as {@code file:line: Kind/name: field: message}. */
public record ManifestProblem(ManifestDocument document, String field, String message) {

    @Override
    public String toString() {
        return document.at(field) + ": " + document.kind() + "/" + document.name() + ": " + field + ": " + message;
    }
}
