package dev.botfleet.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.botfleet.api.validation.ManifestValidator;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class GroupConfigTest {

    private static LLMBot bot(String yaml) {
        return Serialization.unmarshal(yaml, LLMBot.class);
    }

    private static LLMProvider provider(String name) {
        return Serialization.unmarshal("""
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMProvider
                metadata: {name: %s, namespace: team-a, uid: abc, resourceVersion: "7"}
                spec: {baseUrl: 'https://example.com/v1', defaultModel: m, apiKeySecretRef: {name: %s, key: api-key}}
                status: {observedGeneration: 1}
                """.formatted(name, name), LLMProvider.class);
    }

    private final Map<String, LLMProvider> providers = Map.of("openai", provider("openai"), "groq", provider("groq"));

    private final LLMBot zed = bot("""
            apiVersion: botfleet.dev/v1alpha1
            kind: LLMBot
            metadata: {name: zed, namespace: team-a, uid: u1, resourceVersion: "9", generation: 3}
            spec:
              providerRef: {name: openai}
              fallbacks: [{providerRef: {name: groq}}]
            """);
    private final LLMBot alpha = bot("""
            apiVersion: botfleet.dev/v1alpha1
            kind: LLMBot
            metadata: {name: alpha, namespace: team-a}
            spec: {providerRef: {name: openai}, systemPrompt: hi}
            """);

    @Test
    void rendersProvidersThenBotsByNameWithSpecOnly() {
        zed.setStatus(new LLMBotStatus());
        GroupConfig config = GroupConfig.render(List.of(zed, alpha), name -> Optional.ofNullable(providers.get(name)));
        String yaml = config.yaml();

        assertThat(yaml.indexOf("name: groq")).isLessThan(yaml.indexOf("name: openai"));
        assertThat(yaml.indexOf("name: openai")).isLessThan(yaml.indexOf("name: alpha"));
        assertThat(yaml.indexOf("name: alpha")).isLessThan(yaml.indexOf("name: zed"));
        assertThat(yaml).doesNotContain("status", "uid", "resourceVersion", "namespace");
        assertThat(yaml).as("the generation, for the runtime to report").contains("generation: 3");
        assertThat(yaml.split("(?m)^---$")).hasSize(4);
        assertThat(config.providers()).extracting(p -> p.getMetadata().getName()).containsExactly("groq", "openai");
    }

    @Test
    void theSameGroupRendersTheSameBytesWhateverTheOrder() {
        String one = GroupConfig.render(List.of(zed, alpha), name -> Optional.ofNullable(providers.get(name))).yaml();
        String two = GroupConfig.render(List.of(alpha, zed), name -> Optional.ofNullable(providers.get(name))).yaml();
        assertThat(one).isEqualTo(two);
    }

    @Test
    void botsThatDoNotFitAreLeftOutAndNamed() {
        GroupConfig config = GroupConfig.render(List.of(zed, alpha),
                name -> Optional.ofNullable(providers.get(name)), 400);
        assertThat(config.tooLarge()).containsExactly("zed");
        assertThat(config.yaml()).contains("name: alpha").doesNotContain("name: zed", "name: groq");
    }

    @Test
    void everyRenderedDocumentPassesTheCrdSchemaTheRuntimeChecks() throws Exception {
        String yaml = GroupConfig.render(List.of(zed, alpha), name -> Optional.ofNullable(providers.get(name))).yaml();
        ManifestValidator validator = ManifestValidator.forBotfleetCrds();
        YAMLMapper mapper = new YAMLMapper();
        int documents = 0;
        try (MappingIterator<JsonNode> iterator = mapper.readerFor(JsonNode.class).readValues(yaml)) {
            while (iterator.hasNextValue()) {
                assertThat(validator.validate(iterator.nextValue())).isEmpty();
                documents++;
            }
        }
        assertThat(documents).isEqualTo(4);
    }
}
