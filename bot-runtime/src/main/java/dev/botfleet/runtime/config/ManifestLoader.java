package dev.botfleet.runtime.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.botfleet.api.LLMBot;
import dev.botfleet.api.LLMProvider;
import dev.botfleet.api.manifest.ManifestDocument;
import dev.botfleet.api.manifest.ManifestProblem;
import dev.botfleet.api.manifest.Manifests;
import dev.botfleet.api.manifest.UnreadableManifestException;
import dev.botfleet.api.validation.Violation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reads LLMProvider, LLMBot and Secret documents from a YAML file or a directory of them: the file a user
 * applies with kubectl, or the ConfigMap directory the operator mounts. The documents are judged by the rules
 * {@code botfleet validate} applies ({@link Manifests}); other kinds are ignored.
 *
 * <p>A runtime serves one namespace, as each runtime group in a cluster does: bots find their providers and
 * Secrets in their own namespace. Documents that name no namespace belong to the served one, as kubectl applies
 * them to its current namespace.
 */
public final class ManifestLoader {

    private final ObjectMapper mapper = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private final Function<JsonNode, List<Violation>> validator;
    private final Optional<String> namespace;

    /**
     * @param validator what is wrong with a botfleet document, such as {@code ManifestValidator}'s
     * @param namespace the namespace to serve; needed only when the documents name more than one
     */
    public ManifestLoader(Function<JsonNode, List<Violation>> validator, Optional<String> namespace) {
        this.validator = validator;
        this.namespace = namespace;
    }

    public Fleet load(Path path) {
        return load(ManifestSnapshot.read(path));
    }

    /**
     * The fleet the snapshot's documents describe. A snapshot without any LLMBot or LLMProvider is refused: it is
     * a file caught while being rewritten, or the wrong path, never a configuration worth serving.
     */
    public Fleet load(ManifestSnapshot snapshot) {
        Manifests manifests;
        try {
            manifests = Manifests.of(snapshot.files());
        } catch (UnreadableManifestException e) {
            throw new ManifestException(e.getMessage());
        }
        List<ManifestProblem> problems = manifests.problems(validator);
        if (!problems.isEmpty()) {
            throw new ManifestException(problems.stream().map(ManifestProblem::toString)
                    .collect(Collectors.joining("; ")));
        }
        String served = servedNamespace(manifests);
        Map<String, LLMBot> bots = new LinkedHashMap<>();
        Map<String, LLMProvider> providers = new LinkedHashMap<>();
        Map<String, Map<String, String>> secrets = new LinkedHashMap<>();
        for (ManifestDocument document : manifests.documents()) {
            if (!document.namespace().isEmpty() && !document.namespace().equals(served)) {
                continue;
            }
            switch (document.kind()) {
                case LLMBot.KIND -> put(bots, document, convert(document, LLMBot.class));
                case LLMProvider.KIND -> put(providers, document, convert(document, LLMProvider.class));
                case "Secret" -> {
                    if (document.apiVersion().equals("v1")) {
                        put(secrets, document, secretValues(document, convert(document, Secret.class)));
                    }
                }
                default -> {
                }
            }
        }
        if (bots.isEmpty() && providers.isEmpty()) {
            throw new ManifestException(String.join(", ", snapshot.files().keySet().stream().map(Path::toString)
                    .toList()) + ": no LLMBot or LLMProvider document"
                    + (served.isEmpty() ? "" : " in namespace '" + served + "'"));
        }
        return new Fleet(bots, providers, secrets);
    }

    /** The namespace set to serve, else the one the LLMBots and LLMProviders name, or "" when they name none. */
    private String servedNamespace(Manifests manifests) {
        if (namespace.isPresent()) {
            return namespace.get();
        }
        TreeSet<String> named = new TreeSet<>();
        for (ManifestDocument document : manifests.documents()) {
            if ((document.kind().equals(LLMBot.KIND) || document.kind().equals(LLMProvider.KIND))
                    && !document.namespace().isEmpty()) {
                named.add(document.namespace());
            }
        }
        if (named.size() > 1) {
            throw new ManifestException("the manifests hold LLMBots and LLMProviders of the namespaces "
                    + String.join(", ", named) + "; a runtime serves one namespace, as each runtime group in a "
                    + "cluster does: choose it with --botfleet.namespace=" + named.first());
        }
        return named.isEmpty() ? "" : named.first();
    }

    private <T extends HasMetadata> T convert(ManifestDocument document, Class<T> type) {
        T resource;
        try {
            resource = mapper.treeToValue(document.node(), type);
        } catch (JsonMappingException e) {
            String field = e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName()
                    : "[" + r.getIndex() + "]").collect(Collectors.joining("."));
            // Jackson's own message may quote the value, and the value may be a secret.
            String problem = e instanceof UnrecognizedPropertyException ? "unknown field" : "invalid value or type";
            throw new ManifestException(document.at(field) + ": field '" + field + "': " + problem);
        } catch (JsonProcessingException e) {
            throw new ManifestException(document.at("") + ": cannot read " + type.getSimpleName());
        }
        if (resource.getMetadata() == null || resource.getMetadata().getName() == null) {
            throw new ManifestException(document.at("metadata") + ": metadata.name is required");
        }
        return resource;
    }

    /** Keeps {@code value} under the document's name; one document named in the namespace and one not may meet. */
    private static <T> void put(Map<String, T> target, ManifestDocument document, T value) {
        if (target.putIfAbsent(document.name(), value) != null) {
            throw new ManifestException(document.at("metadata.name") + ": a " + document.kind() + " named '"
                    + document.name() + "' is defined twice");
        }
    }

    private static Map<String, String> secretValues(ManifestDocument document, Secret secret) {
        Map<String, String> values = new LinkedHashMap<>();
        if (secret.getData() != null) {
            secret.getData().forEach((key, encoded) -> {
                try {
                    values.put(key, new String(Base64.getMimeDecoder().decode(encoded == null ? "" : encoded),
                            StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    throw new ManifestException(document.at("data." + key) + ": Secret data '" + key
                            + "' is not valid base64");
                }
            });
        }
        if (secret.getStringData() != null) {
            values.putAll(secret.getStringData());
        }
        return values;
    }
}
