package dev.botfleet.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

class PoeBotSettingsTest {

    private static final Function<String, Optional<LLMProviderSpec>> NO_PROVIDERS = name -> Optional.empty();

    private final ObjectMapper json = new ObjectMapper();

    private static LLMBotSpec bot(PoeSettings poe) {
        LLMBotSpec bot = new LLMBotSpec();
        bot.setPoe(poe);
        return bot;
    }

    @Test
    void everySetFieldIsAnnouncedUnderPoesName() throws Exception {
        PoeSettings settings = new PoeSettings();
        settings.setIntroductionMessage("Hi");
        settings.setAllowAttachments(true);
        settings.setExpandTextAttachments(false);
        settings.setEnableImageComprehension(true);
        settings.setEnforceAuthorRoleAlternation(true);
        settings.setEnableMultiEntityPrompting(false);
        settings.setServerBotDependencies(Map.of("GPT-4o", 2));
        settings.setRateCard("100 points / message");
        settings.setCostLabel("Message");

        JsonNode response = json.valueToTree(PoeBotSettings.of(bot(settings), NO_PROVIDERS));

        assertThat(response).isEqualTo(json.readTree("""
                {"response_version": 2, "server_bot_dependencies": {"GPT-4o": 2}, "allow_attachments": true,
                 "introduction_message": "Hi", "expand_text_attachments": false, "enable_image_comprehension": true,
                 "enforce_author_role_alternation": true, "enable_multi_entity_prompting": false,
                 "rate_card": "100 points / message", "cost_label": "Message"}"""));
    }

    /** Poe's pages disagree on the default of allow_attachments, so it is the one key always sent. */
    @Test
    void unsetFieldsAreLeftToPoesDefaultsButAttachmentsAreAlwaysDecided() throws Exception {
        assertThat((JsonNode) json.valueToTree(PoeBotSettings.of(bot(new PoeSettings()), NO_PROVIDERS)))
                .isEqualTo(json.readTree("""
                        {"response_version": 2, "server_bot_dependencies": {}, "allow_attachments": true}"""));
        assertThat((JsonNode) json.valueToTree(PoeBotSettings.of(bot(null), NO_PROVIDERS))).isEqualTo(json.readTree("""
                {"response_version": 2, "server_bot_dependencies": {}, "allow_attachments": true}"""));
    }

    @Test
    void aBotAllowsAttachmentsUnlessItsPoeSettingsSayNo() {
        LLMBotSpec vision = bot(null);
        vision.setImages(new ImageInput());
        assertThat(PoeBotSettings.of(vision, NO_PROVIDERS).allowAttachments()).isTrue();

        PoeSettings explicit = new PoeSettings();
        explicit.setAllowAttachments(false);
        assertThat(PoeBotSettings.of(bot(explicit), NO_PROVIDERS).allowAttachments()).isFalse();
        assertThat(PoeBotSettings.of(bot(null), NO_PROVIDERS).allowAttachments()).isTrue();
    }

    /** The operator records the hash it synced: equal settings must hash the same, whatever order they came in. */
    @Test
    void theJsonAndItsHashAreStableAndFollowEverySetting() throws Exception {
        PoeSettings first = new PoeSettings();
        first.setServerBotDependencies(new java.util.LinkedHashMap<>(Map.of("A", 1)));
        first.getServerBotDependencies().put("B", 2);
        PoeSettings second = new PoeSettings();
        second.setServerBotDependencies(new java.util.LinkedHashMap<>(Map.of("B", 2)));
        second.getServerBotDependencies().put("A", 1);
        PoeBotSettings one = PoeBotSettings.of(bot(first), NO_PROVIDERS);

        assertThat(one.json()).isEqualTo(PoeBotSettings.of(bot(second), NO_PROVIDERS).json());
        assertThat(one.hash()).isEqualTo(PoeBotSettings.of(bot(second), NO_PROVIDERS).hash()).hasSize(16).matches("[0-9a-f]+");
        assertThat(json.readTree(one.json())).isEqualTo(json.valueToTree(one));

        second.setIntroductionMessage("Hello");
        assertThat(PoeBotSettings.of(bot(second), NO_PROVIDERS).hash()).isNotEqualTo(one.hash());
        PoeSettings named = new PoeSettings();
        named.setBotName("MyBot");
        assertThat(PoeBotSettings.of(bot(named), NO_PROVIDERS).json()).as("the bot's Poe name is not a setting")
                .isEqualTo(PoeBotSettings.of(bot(null), NO_PROVIDERS).json()).doesNotContain("MyBot");
    }

    /** Parameter controls go to Poe in Poe's own names and shapes; only the fields a control has are written. */
    @Test
    void parameterControlsAreWrittenInPoesFormat() throws Exception {
        LLMBot bot = io.fabric8.kubernetes.client.utils.Serialization.unmarshal("""
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {name: tunable}
                spec:
                  providerRef: {name: openai}
                  poe:
                    parameterControls:
                      sections:
                        - name: Answer
                          collapsedByDefault: true
                          controls:
                            - {control: drop_down, label: Model, parameterName: model, defaultValue: fast,
                               options: [{value: fast, name: Fast}]}
                            - {control: divider}
                          tabs:
                            - name: More
                              controls:
                                - {control: slider, label: Heat, parameterName: heat, defaultValue: 0.5, minValue: 0,
                                   maxValue: 1, step: 0.1}
                                - control: condition
                                  condition: {comparator: ge, left: {parameterName: heat}, right: {literal: 0.8}}
                                  controls:
                                    - {control: aspect_ratio, label: Shape, parameterName: shape,
                                       options: [{width: 16, height: 9}]}
                """, LLMBot.class);

        JsonNode controls = json.readTree(PoeBotSettings.of(bot.getSpec(), NO_PROVIDERS).json()).path("parameter_controls");

        assertThat(controls).isEqualTo(json.readTree("""
                {"api_version": "2", "sections": [{"name": "Answer", "collapsed_by_default": true,
                  "controls": [{"control": "drop_down", "label": "Model", "parameter_name": "model",
                                "default_value": "fast", "options": [{"value": "fast", "name": "Fast"}]},
                               {"control": "divider"}],
                  "tabs": [{"name": "More", "controls": [
                    {"control": "slider", "label": "Heat", "parameter_name": "heat", "default_value": 0.5,
                     "min_value": 0.0, "max_value": 1.0, "step": 0.1},
                    {"control": "condition",
                     "condition": {"comparator": "ge", "left": {"parameter_name": "heat"}, "right": {"literal": 0.8}},
                     "controls": [{"control": "aspect_ratio", "label": "Shape", "parameter_name": "shape",
                                   "options": [{"width": 16.0, "height": 9.0}]}]}]}]}]}"""));
        assertThat(PoeBotSettings.of(bot(null), NO_PROVIDERS).parameterControls()).isNull();
    }

    private static LLMProviderSpec provider(LLMProviderSpec.Protocol protocol, String defaultModel, int maxRetries) {
        LLMProviderSpec provider = new LLMProviderSpec();
        provider.setProtocol(protocol);
        provider.setDefaultModel(defaultModel);
        provider.setMaxRetries(maxRetries);
        return provider;
    }

    /**
     * Each Poe bot a message may call, with the most calls it may make to it: a target's first try and its
     * retries, targets naming the same bot added up, the primary also as every model a user may pick, the
     * OpenAI-compatible targets left out; what spec.poe declares kept where it allows more.
     */
    @Test
    void theDependenciesFollowTheProviderChainAndItsRetries() {
        Map<String, LLMProviderSpec> providers = Map.of(
                "poe", provider(LLMProviderSpec.Protocol.POE, "Claude-Sonnet-4", 2),
                "poe-patient", provider(LLMProviderSpec.Protocol.POE, "Claude-Sonnet-4", 4),
                "openai", provider(null, "gpt-4o-mini", 2));
        LLMBotSpec bot = new LLMBotSpec();
        bot.setProviderRef(new ProviderRef("poe"));
        bot.setFallbacks(List.of(new Fallback(new ProviderRef("openai"), null),
                new Fallback(new ProviderRef("poe"), "GPT-4o"),
                new Fallback(new ProviderRef("poe-patient"), null)));
        BotParameters parameters = new BotParameters();
        BotParameters.ModelChoice choice = new BotParameters.ModelChoice();
        choice.setModels(List.of("Claude-Sonnet-4", "Gemini-2.5-Pro"));
        parameters.setModel(choice);
        bot.setParameters(parameters);
        PoeSettings poe = new PoeSettings();
        poe.setServerBotDependencies(Map.of("GPT-4o", 5, "Gemini-2.5-Pro", 1, "Web-Search", 1));
        bot.setPoe(poe);

        PoeBotSettings settings = PoeBotSettings.of(bot, name -> Optional.ofNullable(providers.get(name)));

        assertThat(settings.serverBotDependencies()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "Claude-Sonnet-4", 3 + 5, "GPT-4o", 5, "Gemini-2.5-Pro", 3, "Web-Search", 1));
        assertThat(settings.callLimitExceeded()).isEmpty();
    }

    /** Nine targets of eleven calls stay within Poe's hundred; declarations can go beyond, which Poe would refuse. */
    @Test
    void poesHundredCallsPerMessageAreHeldUp() {
        LLMBotSpec longest = new LLMBotSpec();
        longest.setProviderRef(new ProviderRef("poe"));
        longest.setFallbacks(java.util.stream.IntStream.range(0, 8)
                .mapToObj(i -> new Fallback(new ProviderRef("poe"), "Bot-" + i)).toList());
        LLMProviderSpec mostRetries = provider(LLMProviderSpec.Protocol.POE, "Bot-main", 10);
        PoeBotSettings derived = PoeBotSettings.of(longest, name -> Optional.of(mostRetries));
        assertThat(derived.serverBotDependencies().values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(99);
        assertThat(derived.callLimitExceeded()).isEmpty();

        PoeSettings declared = new PoeSettings();
        declared.setServerBotDependencies(Map.of("Web-Search", 2));
        longest.setPoe(declared);
        assertThat(PoeBotSettings.of(longest, name -> Optional.of(mostRetries)).callLimitExceeded()).hasValueSatisfying(
                why -> assertThat(why).contains("101 calls per message").contains("Poe allows 100"));
    }
}
