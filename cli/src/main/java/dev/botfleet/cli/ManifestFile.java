package dev.botfleet.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
        try {
            List<Map<String, Integer>> lines = lineIndex(text);
            List<Document> documents = new ArrayList<>();
            try (MappingIterator<JsonNode> values = YAML.readerFor(JsonNode.class).readValues(text)) {
                int index = 0;
                while (values.hasNextValue()) {
                    JsonNode node = values.nextValue();
                    if (node != null && node.isObject()) {
                        documents.add(new Document(file, node, lines.get(index++)));
                    }
                }
            }
            return documents;
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 1 : e.getLocation().getLineNr();
            String problem = String.valueOf(e.getOriginalMessage()).lines().findFirst().orElse("");
            throw new UnusableException(file + ":" + line + ": invalid YAML: " + problem);
        } catch (IOException e) {
            throw new UnusableException(file + ":1: cannot read: " + e.getMessage());
        }
    }

    /** For each object document, in order, the line of each field path. */
    private static List<Map<String, Integer>> lineIndex(String text) throws IOException {
        List<Map<String, Integer>> documents = new ArrayList<>();
        try (YAMLParser parser = (YAMLParser) new YAMLFactory().createParser(text)) {
            Deque<Frame> path = new ArrayDeque<>();
            Map<String, Integer> current = null;
            String pendingField = null;
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                int line = parser.currentTokenLocation().getLineNr();
                if (path.isEmpty() && token == JsonToken.START_OBJECT) {
                    current = new HashMap<>();
                    current.put("", line);
                    documents.add(current);
                }
                if (token == JsonToken.FIELD_NAME) {
                    pendingField = parser.currentName();
                    current.put(join(path, "." + pendingField), line);
                    continue;
                }
                String element = elementName(path, pendingField);
                pendingField = null;
                if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
                    if (!path.isEmpty() && current != null && element != null) {
                        current.putIfAbsent(join(path, element), line);
                    }
                    path.push(new Frame(element, token == JsonToken.START_ARRAY));
                } else if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
                    path.pop();
                } else if (!path.isEmpty() && path.peek().array && current != null) {
                    current.putIfAbsent(join(path, element), line);
                }
            }
        }
        return documents;
    }

    /** The name of the value that starts now: a field's name, or the next index of the enclosing array. */
    private static String elementName(Deque<Frame> path, String field) {
        if (field != null) {
            return "." + field;
        }
        if (!path.isEmpty() && path.peek().array) {
            return "[" + path.peek().nextIndex++ + "]";
        }
        return null;
    }

    private static String join(Deque<Frame> path, String last) {
        StringBuilder joined = new StringBuilder();
        List<Frame> frames = new ArrayList<>(path);
        for (int i = frames.size() - 1; i >= 0; i--) {
            if (frames.get(i).name != null) {
                joined.append(frames.get(i).name);
            }
        }
        joined.append(last);
        return joined.toString().replaceFirst("^\\.", "");
    }

    private static final class Frame {
        private final String name;
        private final boolean array;
        private int nextIndex;

        Frame(String name, boolean array) {
            this.name = name;
            this.array = array;
        }
    }
}
