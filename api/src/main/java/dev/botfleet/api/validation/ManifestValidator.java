package dev.botfleet.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.NonValidationKeyword;
import dev.botfleet.api.BotRuntime;
import dev.botfleet.api.LLMBot;
import dev.botfleet.api.LLMProvider;
import dev.botfleet.api.Validation;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks botfleet manifests offline against the generated CRDs the way the API server does: the OpenAPI schema
 * (types, required fields, ranges, patterns, enums), unknown fields (as {@code kubectl apply} refuses them), and
 * the CEL rules in {@code x-kubernetes-validations}. Every violation names its field.
 */
public final class ManifestValidator {

    private static final ObjectMapper YAML = new YAMLMapper();
    private static final Set<String> OBJECT_FIELDS = Set.of("apiVersion", "kind", "metadata");
    /** Keywords the schema library need not know: checked here (CEL, unknown fields) or not needed offline. */
    private static final List<String> KUBERNETES_EXTENSIONS = List.of("x-kubernetes-validations",
            "x-kubernetes-preserve-unknown-fields", "x-kubernetes-int-or-string", "x-kubernetes-embedded-resource",
            "x-kubernetes-list-type", "x-kubernetes-list-map-keys", "x-kubernetes-map-type");
    private static final List<Class<? extends HasMetadata>> KINDS = List.of(LLMProvider.class, LLMBot.class, BotRuntime.class);

    private final Map<String, Crd> crds;
    private final CelRules cel = new CelRules();

    private ManifestValidator(Map<String, Crd> crds) {
        this.crds = crds;
    }

    /** A validator for the CRDs generated into the api jar. */
    public static ManifestValidator forBotfleetCrds() {
        Dialect.Builder openApi = Dialect.builder(Dialects.getOpenApi30());
        KUBERNETES_EXTENSIONS.forEach(keyword -> openApi.keyword(new NonValidationKeyword(keyword)));
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(openApi.build());
        Map<String, Crd> crds = new java.util.HashMap<>();
        for (Class<? extends HasMetadata> kind : KINDS) {
            String plural = HasMetadata.getPlural(kind);
            String resource = "/META-INF/fabric8/" + plural + "." + HasMetadata.getGroup(kind) + "-v1.yml";
            JsonNode crd = read(resource);
            JsonNode schema = crd.at("/spec/versions/0/schema/openAPIV3Schema");
            crds.put(HasMetadata.getKind(kind), new Crd(schema, registry.getSchema(schema)));
        }
        return new ManifestValidator(Map.copyOf(crds));
    }

    /** Whether this validator knows the document's kind; other kinds are not botfleet's to judge. */
    public boolean handles(JsonNode document) {
        return crds.containsKey(document.path("kind").asText());
    }

    public List<Violation> validate(JsonNode document) {
        Crd crd = crds.get(document.path("kind").asText());
        if (crd == null) {
            return List.of();
        }
        List<Violation> violations = new ArrayList<>(objectName(document));
        for (Error error : crd.schema().validate(document)) {
            violations.add(violation(error));
        }
        unknownFields(crd.openApi(), document, "", violations);
        if (violations.isEmpty()) {
            celRules(crd.openApi(), document, "", violations);
        }
        return violations;
    }

    /** The API server's own rule for names, which no CRD schema states. */
    private static List<Violation> objectName(JsonNode document) {
        JsonNode name = document.path("metadata").path("name");
        if (!name.isTextual() || name.asText().isEmpty()) {
            return List.of(new Violation("metadata.name", "Required value"));
        }
        if (name.asText().length() > 253 || !name.asText().matches(Validation.DNS_SUBDOMAIN)) {
            return List.of(new Violation("metadata.name", "a lowercase RFC 1123 subdomain must consist of lower case "
                    + "alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character"));
        }
        return List.of();
    }

    private static final Pattern ARRAY_INDEX = Pattern.compile("\\d+");

    private static Violation violation(Error error) {
        String location = field(error.getInstanceLocation().toString());
        if ("required".equals(error.getKeyword()) && error.getProperty() != null) {
            String field = location.isEmpty() ? error.getProperty() : location + "." + error.getProperty();
            return new Violation(field, "Required value");
        }
        String message = error.getMessage();
        int colon = message.indexOf(": ");
        if (message.startsWith("$") && colon > 0) {
            message = message.substring(colon + 2);
        }
        return new Violation(location.isEmpty() ? "<root>" : location, message);
    }

    /** The schema library's JSON pointer {@code /spec/fallbacks/0/model} as the API server names the field. */
    private static String field(String location) {
        StringBuilder field = new StringBuilder();
        for (String segment : location.replaceFirst("^/", "").split("/", -1)) {
            if (ARRAY_INDEX.matcher(segment).matches()) {
                field.append('[').append(segment).append(']');
            } else if (!segment.isEmpty()) {
                field.append(field.isEmpty() ? "" : ".").append(segment.replace("~1", "/").replace("~0", "~"));
            }
        }
        return field.toString();
    }

    private static void unknownFields(JsonNode schema, JsonNode value, String path, List<Violation> violations) {
        if (schema == null || schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
            return;
        }
        if (value.isObject()) {
            JsonNode properties = schema.get("properties");
            Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                String fieldPath = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
                if (path.isEmpty() && OBJECT_FIELDS.contains(field.getKey())) {
                    continue;
                }
                if (properties != null && properties.has(field.getKey())) {
                    unknownFields(properties.get(field.getKey()), field.getValue(), fieldPath, violations);
                } else if (properties != null) {
                    violations.add(new Violation(fieldPath, "unknown field \"" + fieldPath + "\""));
                }
            }
        } else if (value.isArray() && schema.has("items")) {
            for (int i = 0; i < value.size(); i++) {
                unknownFields(schema.get("items"), value.get(i), path + "[" + i + "]", violations);
            }
        }
    }

    private void celRules(JsonNode schema, JsonNode value, String path, List<Violation> violations) {
        if (schema == null || value == null || value.isNull()) {
            return;
        }
        for (JsonNode rule : schema.path("x-kubernetes-validations")) {
            Optional<Boolean> holds = cel.holds(rule.path("rule").asText(), value);
            if (holds.isPresent() && !holds.get()) {
                String fieldPath = path + rule.path("fieldPath").asText("");
                violations.add(new Violation(fieldPath, rule.path("message").asText("failed rule: "
                        + rule.path("rule").asText())));
            }
        }
        if (value.isObject()) {
            schema.path("properties").fields().forEachRemaining(property -> {
                if (value.has(property.getKey())) {
                    String fieldPath = path.isEmpty() ? property.getKey() : path + "." + property.getKey();
                    celRules(property.getValue(), value.get(property.getKey()), fieldPath, violations);
                }
            });
            if (schema.path("additionalProperties").isObject()) {
                value.fields().forEachRemaining(entry -> celRules(schema.get("additionalProperties"),
                        entry.getValue(), path + "[" + entry.getKey() + "]", violations));
            }
        } else if (value.isArray() && schema.has("items")) {
            for (int i = 0; i < value.size(); i++) {
                celRules(schema.get("items"), value.get(i), path + "[" + i + "]", violations);
            }
        }
    }

    private static JsonNode read(String resource) {
        try (InputStream in = ManifestValidator.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("CRD " + resource + " is missing from the classpath");
            }
            return YAML.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record Crd(JsonNode openApi, Schema schema) {
    }
}
