package dev.botfleet.api.manifest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.botfleet.api.BotRuntime;
import dev.botfleet.api.LLMBot;
import dev.botfleet.api.LLMProvider;
import dev.botfleet.api.ManifestFiles;
import dev.botfleet.api.validation.Violation;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The object documents of some manifest files, read and judged by one set of rules for everyone who reads them:
 * the runtime serving the files and {@code botfleet validate} checking them before {@code kubectl apply}.
 * A botfleet document must have botfleet's apiVersion, pass the validator, and be the only one of its kind,
 * namespace and name, as the API server would hold it.
 */
public final class Manifests {

    /** The kinds botfleet defines; documents of other kinds are kept, but not judged. */
    public static final Set<String> KINDS = Set.of(LLMProvider.KIND, LLMBot.KIND, BotRuntime.KIND);

    private static final YAMLMapper YAML = new YAMLMapper();

    private final List<ManifestDocument> documents;

    private Manifests(List<ManifestDocument> documents) {
        this.documents = List.copyOf(documents);
    }

    /** Reads files and directories, as {@link ManifestFiles} defines them. */
    public static Manifests read(List<Path> paths) {
        Map<Path, String> files = new LinkedHashMap<>();
        for (Path path : paths) {
            if (!Files.exists(path)) {
                throw new UnreadableManifestException(path + ":1: no such file or directory");
            }
            try {
                for (Path file : ManifestFiles.list(path)) {
                    files.put(file, Files.readString(file));
                }
            } catch (UncheckedIOException e) {
                throw new UnreadableManifestException(path + ":1: " + e.getMessage());
            } catch (IOException e) {
                throw new UnreadableManifestException(path + ":1: cannot read: " + e.getMessage());
            }
        }
        return of(files);
    }

    /** The documents of files already read: each file's content by its path. */
    public static Manifests of(Map<Path, String> files) {
        List<ManifestDocument> documents = new ArrayList<>();
        files.forEach((file, text) -> documents.addAll(parse(file, text)));
        return new Manifests(documents);
    }

    /** Every object document, in file order. */
    public List<ManifestDocument> documents() {
        return documents;
    }

    /** The documents of botfleet's kinds, in file order. */
    public List<ManifestDocument> botfleetDocuments() {
        return documents.stream().filter(d -> KINDS.contains(d.kind())).toList();
    }

    public List<ManifestDocument> ofKind(String kind) {
        return documents.stream().filter(d -> d.kind().equals(kind)).toList();
    }

    /**
     * What is wrong with the botfleet documents one by one, and the names defined twice.
     *
     * @param validator what is wrong with a botfleet document, such as {@code ManifestValidator}'s
     */
    public List<ManifestProblem> problems(Function<JsonNode, List<Violation>> validator) {
        List<ManifestProblem> problems = new ArrayList<>();
        Map<String, ManifestDocument> seen = new HashMap<>();
        for (ManifestDocument document : botfleetDocuments()) {
            if (!document.apiVersion().equals(LLMProvider.API_VERSION)) {
                problems.add(new ManifestProblem(document, "apiVersion", "must be " + LLMProvider.API_VERSION
                        + ", not '" + document.apiVersion() + "'"));
            } else {
                validator.apply(document.node()).forEach(violation ->
                        problems.add(new ManifestProblem(document, violation.field(), violation.message())));
            }
            String key = document.kind() + "/" + document.namespace() + "/" + document.name();
            ManifestDocument first = seen.putIfAbsent(key, document);
            if (first != null) {
                problems.add(new ManifestProblem(document, "metadata.name", "duplicate name"
                        + (document.namespace().isEmpty() ? "" : " in namespace '" + document.namespace() + "'")
                        + ": already defined at " + first.at("metadata.name")));
            }
        }
        return problems;
    }

    private static List<ManifestDocument> parse(Path file, String text) {
        List<JsonNode> objects = new ArrayList<>();
        try (MappingIterator<JsonNode> values = YAML.readerFor(JsonNode.class).readValues(text)) {
            while (values.hasNextValue()) {
                int line = values.getParser().currentTokenLocation().getLineNr();
                JsonNode node = values.nextValue();
                if (node == null || node.isNull() || node.isMissingNode()) {
                    continue;
                }
                if (!node.isObject()) {
                    throw new UnreadableManifestException(file + ":" + line
                            + ": document " + (objects.size() + 1) + " is not a Kubernetes object");
                }
                objects.add(node);
            }
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 1 : e.getLocation().getLineNr();
            // Only the first line of the parser's message: the rest quotes the file, which may hold a Secret.
            String problem = String.valueOf(e.getOriginalMessage()).lines().findFirst().orElse("");
            throw new UnreadableManifestException(file + ":" + line + ": invalid YAML: " + problem);
        } catch (IOException e) {
            throw new UnreadableManifestException(file + ":1: cannot read: " + e.getMessage());
        }
        List<Map<String, Integer>> lines = lineIndex(text);
        List<ManifestDocument> documents = new ArrayList<>();
        for (int i = 0; i < objects.size(); i++) {
            documents.add(new ManifestDocument(file, i + 1, objects.get(i), lines.get(i)));
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
