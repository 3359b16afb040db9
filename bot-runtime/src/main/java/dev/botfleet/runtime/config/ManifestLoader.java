package dev.botfleet.runtime.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.botfleet.api.LLMBot;
import dev.botfleet.api.LLMProvider;
import dev.botfleet.api.validation.Violation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reads LLMProvider, LLMBot and Secret documents from a YAML file or a directory of them: the file a user
 * applies with kubectl, or the ConfigMap directory the operator mounts. Other kinds are ignored.
 */
public final class ManifestLoader {


    private final ObjectMapper yaml = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private final Function<JsonNode, List<Violation>> validator;

    /** @param validator what is wrong with an LLMBot or LLMProvider document, such as {@code ManifestValidator}'s */
    public ManifestLoader(Function<JsonNode, List<Violation>> validator) {
        this.validator = validator;
    }

    public Fleet load(Path path) {
        return load(ManifestSnapshot.read(path));
    }

    /**
     * The fleet the snapshot's documents describe. A snapshot without any LLMBot or LLMProvider is refused: it is
     * a file caught while being rewritten, or the wrong path, never a configuration worth serving.
     */
    public Fleet load(ManifestSnapshot snapshot) {
        Map<String, LLMBot> bots = new LinkedHashMap<>();
        Map<String, LLMProvider> providers = new LinkedHashMap<>();
        Map<String, Map<String, String>> secrets = new LinkedHashMap<>();
        for (Map.Entry<Path, String> entry : snapshot.files().entrySet()) {
            Path file = entry.getKey();
            List<JsonNode> documents = read(file, entry.getValue());
            for (int i = 0; i < documents.size(); i++) {
                String where = file + " (document " + (i + 1) + ")";
                JsonNode document = documents.get(i);
                String kind = document.path("kind").asText("");
                String apiVersion = document.path("apiVersion").asText("");
                if (kind.equals("Secret") && apiVersion.equals("v1")) {
                    Secret secret = convert(document, Secret.class, where);
                    put(secrets, secretValues(secret, where), secret, where);
                } else if (kind.equals(LLMProvider.KIND) || kind.equals(LLMBot.KIND)) {
                    if (!apiVersion.equals(LLMProvider.API_VERSION)) {
                        throw new ManifestException(where + ": " + kind + " must have apiVersion " + LLMProvider.API_VERSION
                                + ", not '" + apiVersion + "'");
                    }
                    List<Violation> violations = validator.apply(document);
                    if (!violations.isEmpty()) {
                        throw new ManifestException(where + ": " + kind + " '"
                                + document.path("metadata").path("name").asText("?") + "' is invalid: "
                                + violations.stream().map(Violation::toString).collect(Collectors.joining("; ")));
                    }
                    if (kind.equals(LLMBot.KIND)) {
                        LLMBot bot = convert(document, LLMBot.class, where);
                        put(bots, bot, bot, where);
                    } else {
                        LLMProvider provider = convert(document, LLMProvider.class, where);
                        put(providers, provider, provider, where);
                    }
                }
            }
        }
        if (bots.isEmpty() && providers.isEmpty()) {
            throw new ManifestException(String.join(", ", snapshot.files().keySet().stream().map(Path::toString)
                    .toList()) + ": no LLMBot or LLMProvider document");
        }
        return new Fleet(bots, providers, secrets);
    }

    private List<JsonNode> read(Path file, String content) {
        try (MappingIterator<JsonNode> documents = yaml.readerFor(JsonNode.class).readValues(content)) {
            List<JsonNode> result = new ArrayList<>();
            while (documents.hasNextValue()) {
                JsonNode document = documents.nextValue();
                if (document != null && !document.isNull() && !document.isMissingNode()) {
                    if (!document.isObject()) {
                        throw new ManifestException(file + " (document " + (result.size() + 1)
                                + "): not a Kubernetes object");
                    }
                    result.add(document);
                }
            }
            return result;
        } catch (JsonProcessingException e) {
            // Only the first line of the parser's message: the rest quotes the file, which may hold a Secret.
            String problem = String.valueOf(e.getOriginalMessage()).lines().findFirst().orElse("");
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
            throw new ManifestException(file + ": invalid YAML" + where + ": " + problem);
        } catch (IOException e) {
            throw new ManifestException(file + ": cannot read: " + e.getMessage());
        }
    }

    private <T extends HasMetadata> T convert(JsonNode document, Class<T> type, String where) {
        T resource;
        try {
            resource = yaml.treeToValue(document, type);
        } catch (JsonMappingException e) {
            String field = e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName()
                    : "[" + r.getIndex() + "]").collect(Collectors.joining("."));
            // Jackson's own message may quote the value, and the value may be a secret.
            String problem = e instanceof UnrecognizedPropertyException ? "unknown field" : "invalid value or type";
            throw new ManifestException(where + ": field '" + field + "': " + problem);
        } catch (JsonProcessingException e) {
            throw new ManifestException(where + ": cannot read " + type.getSimpleName());
        }
        if (resource.getMetadata() == null || resource.getMetadata().getName() == null) {
            throw new ManifestException(where + ": metadata.name is required");
        }
        return resource;
    }

    private static <T> void put(Map<String, T> target, T value, HasMetadata resource, String where) {
        String name = resource.getMetadata().getName();
        if (target.putIfAbsent(name, value) != null) {
            throw new ManifestException(where + ": a " + resource.getKind() + " named '" + name
                    + "' is defined twice");
        }
    }

    private static Map<String, String> secretValues(Secret secret, String where) {
        Map<String, String> values = new LinkedHashMap<>();
        if (secret.getData() != null) {
            secret.getData().forEach((key, encoded) -> {
                try {
                    values.put(key, new String(Base64.getMimeDecoder().decode(encoded == null ? "" : encoded),
                            StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    throw new ManifestException(where + ": Secret data '" + key + "' is not valid base64");
                }
            });
        }
        if (secret.getStringData() != null) {
            values.putAll(secret.getStringData());
        }
        return values;
    }
}
