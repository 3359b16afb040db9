package dev.botfleet.api.manifest;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.Map;

/**
 * One object document of a manifest file, with the line of each of its fields, so that a finding can name
 * {@code file:line}. Fields are named as the validator names them: {@code spec.fallbacks[0].model}.
 *
 * @param number the document's place among the file's object documents, from 1
 */
public record ManifestDocument(Path file, int number, JsonNode node, Map<String, Integer> lines) {

    public ManifestDocument {
        lines = Map.copyOf(lines);
    }

    public String kind() {
        return node.path("kind").asText("");
    }

    public String apiVersion() {
        return node.path("apiVersion").asText("");
    }

    public String name() {
        return node.path("metadata").path("name").asText("");
    }

    /** The namespace the document names, or "" when it names none (kubectl applies it to the current one). */
    public String namespace() {
        return node.path("metadata").path("namespace").asText("");
    }

    /** The line of {@code field}, or of its nearest parent that is in the file. */
    public int line(String field) {
        String candidate = field;
        while (!candidate.isEmpty()) {
            Integer line = lines.get(candidate);
            if (line != null) {
                return line;
            }
            int cut = Math.max(candidate.lastIndexOf('.'), candidate.lastIndexOf('['));
            candidate = cut < 0 ? "" : candidate.substring(0, cut);
        }
        return lines.getOrDefault("", 1);
    }

    /** {@code file:line} of {@code field}. */
    public String at(String field) {
        return file + ":" + line(field);
    }
}
