package dev.botfleet.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The {@code bots.yaml} of a runtime group: its LLMBot documents and the LLMProvider documents they use, spec
 * only (no status, no secret values), in a stable order so that an unchanged group renders the same bytes.
 * Bots that would push the ConfigMap over its size limit are left out and reported.
 */
public final class GroupConfig {

    /** Kubernetes refuses objects over 1 MiB; this leaves room for the ConfigMap's metadata. */
    public static final int MAX_BYTES = 1_000_000;

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private final String yaml;
    private final List<String> tooLarge;
    private final List<LLMProvider> providers;

    private GroupConfig(String yaml, List<String> tooLarge, List<LLMProvider> providers) {
        this.yaml = yaml;
        this.tooLarge = List.copyOf(tooLarge);
        this.providers = List.copyOf(providers);
    }

    public static GroupConfig render(List<LLMBot> bots, Function<String, Optional<LLMProvider>> providers) {
        return render(bots, providers, MAX_BYTES);
    }

    public static GroupConfig render(List<LLMBot> bots, Function<String, Optional<LLMProvider>> providers,
                                     int maxBytes) {
        return render(bots, providers, maxBytes, GroupConfig::document);
    }

    /**
     * @param documents renders one resource as its YAML document; {@link #document} or a cache in front of it
     */
    public static GroupConfig render(List<LLMBot> bots, Function<String, Optional<LLMProvider>> providers,
                                     int maxBytes, Function<HasMetadata, String> documents) {
        Map<String, String> providerDocs = new TreeMap<>();
        Map<String, LLMProvider> used = new TreeMap<>();
        Map<String, String> botDocs = new TreeMap<>();
        List<String> tooLarge = new ArrayList<>();
        int size = 0;
        for (LLMBot bot : bots.stream().sorted(Comparator.comparing(b -> b.getMetadata().getName())).toList()) {
            String botDoc = documents.apply(bot);
            Map<String, LLMProvider> newProviders = new TreeMap<>();
            Map<String, String> newProviderDocs = new TreeMap<>();
            for (String name : providerNames(bot)) {
                if (!used.containsKey(name) && !newProviders.containsKey(name)) {
                    providers.apply(name).ifPresent(provider -> {
                        newProviders.put(name, provider);
                        newProviderDocs.put(name, documents.apply(provider));
                    });
                }
            }
            int added = bytes(botDoc) + newProviderDocs.values().stream().mapToInt(GroupConfig::bytes).sum();
            if (size + added > maxBytes) {
                tooLarge.add(bot.getMetadata().getName());
                continue;
            }
            size += added;
            botDocs.put(bot.getMetadata().getName(), botDoc);
            used.putAll(newProviders);
            providerDocs.putAll(newProviderDocs);
        }
        List<String> rendered = new ArrayList<>(providerDocs.values());
        rendered.addAll(botDocs.values());
        return new GroupConfig(String.join("---\n", rendered), tooLarge, new ArrayList<>(used.values()));
    }

    /** The providers a bot asks: its primary, then its fallbacks. */
    public static List<String> providerNames(LLMBot bot) {
        return bot.getSpec().targets().stream().map(ProviderTarget::providerName).toList();
    }

    public String yaml() {
        return yaml;
    }

    /** Bots left out because they would push the ConfigMap over its size limit. */
    public List<String> tooLarge() {
        return tooLarge;
    }

    /** The providers the rendered bots use and that exist. */
    public List<LLMProvider> providers() {
        return providers;
    }

    /** The YAML document of an LLMBot or LLMProvider in {@code bots.yaml}: apiVersion, kind, name and spec. */
    public static String document(HasMetadata resource) {
        Object spec = resource instanceof LLMBot bot ? bot.getSpec() : ((LLMProvider) resource).getSpec();
        Map<String, Object> document = new java.util.LinkedHashMap<>();
        document.put("apiVersion", resource.getApiVersion());
        document.put("kind", resource.getKind());
        // The generation goes along so that each runtime can report which spec of each bot it serves.
        document.put("metadata", new ObjectMetaBuilder().withName(resource.getMetadata().getName())
                .withGeneration(resource.getMetadata().getGeneration()).build());
        document.put("spec", spec);
        try {
            return YAML.writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length + 4;
    }
}
