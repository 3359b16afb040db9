package dev.botfleet.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The object documents of one YAML file, each with the line of every field, so that a problem can be reported as
 * {@code file:line}. Fields are named as the validator names them: {@code spec.fallbacks[0].model}.
 */
public final class ManifestFile {

    private static final YAMLMapper YAML = new YAMLMapper();

    /** One object document and where its fields are. */
    public record Document(Path file, JsonNode node, Map<String, Integer> lines) {

        public String kind() {
            return node.path("kind").asText("");
        }

        public String name() {
            return node.path("metadata").path("name").asText("");
        }

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
    }

    /** The file cannot be used at all: missing, unreadable or not YAML. */
    public static final class UnusableException extends Exception {

        public UnusableException(String message) {
            super(message, null, false, false);
        }
    }

    private ManifestFile() {
    }

    public static List<Document> read(Path file) throws UnusableException {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new UnusableException(file + ":1: cannot read: " + e.getMessage());
        }
        List<JsonNode> objects = new ArrayList<>();
        try (MappingIterator<JsonNode> values = YAML.readerFor(JsonNode.class).readValues(text)) {
            while (values.hasNextValue()) {
                JsonNode node = values.nextValue();
                if (node != null && node.isObject()) {
                    objects.add(node);
                }
            }
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 1 : e.getLocation().getLineNr();
            String problem = String.valueOf(e.getOriginalMessage()).lines().findFirst().orElse("");
            throw new UnusableException(file + ":" + line + ": invalid YAML: " + problem);
        } catch (IOException e) {
            throw new UnusableException(file + ":1: cannot read: " + e.getMessage());
        }
        List<Map<String, Integer>> lines = lineIndex(text);
        List<Document> documents = new ArrayList<>();
        for (int i = 0; i < objects.size(); i++) {
            documents.add(new Document(file, objects.get(i), lines.get(i)));
        }
        return documents;
    }

    /** For each object document, in order, the line of each field path, from the marks of the YAML node graph. */
    private static List<Map<String, Integer>> lineIndex(String text) {
        List<Map<String, Integer>> documents = new ArrayList<>();
        for (Node document : new Yaml().composeAll(new StringReader(text))) {
            if (document instanceof MappingNode) {
                Map<String, Integer> lines = new HashMap<>();
                index(document, "", lines, Collections.newSetFromMap(new IdentityHashMap<>()));
                documents.add(lines);
            }
        }
        return documents;
    }

    /** Records where {@code node} and everything under it starts; an alias is indexed at its anchor only. */
    private static void index(Node node, String path, Map<String, Integer> lines, Set<Node> seen) {
        lines.putIfAbsent(path, lineOf(node));
        if (!seen.add(node)) {
            return;
        }
        if (node instanceof MappingNode mapping) {
            for (NodeTuple entry : mapping.getValue()) {
                if (entry.getKeyNode() instanceof ScalarNode key) {
                    String field = path.isEmpty() ? key.getValue() : path + "." + key.getValue();
                    lines.putIfAbsent(field, lineOf(key));
                    index(entry.getValueNode(), field, lines, seen);
                }
            }
        } else if (node instanceof SequenceNode sequence) {
            List<Node> items = sequence.getValue();
            for (int i = 0; i < items.size(); i++) {
                index(items.get(i), path + "[" + i + "]", lines, seen);
            }
        }
    }

    private static int lineOf(Node node) {
        return node.getStartMark().getLine() + 1;
    }
}
