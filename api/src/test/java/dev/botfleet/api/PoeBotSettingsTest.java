package dev.botfleet.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PoeBotSettingsTest {

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

        JsonNode response = json.valueToTree(PoeBotSettings.of(bot(settings)));

        assertThat(response).isEqualTo(json.readTree("""
                {"response_version": 2, "server_bot_dependencies": {"GPT-4o": 2}, "allow_attachments": true,
                 "introduction_message": "Hi", "expand_text_attachments": false, "enable_image_comprehension": true,
                 "enforce_author_role_alternation": true, "enable_multi_entity_prompting": false,
                 "rate_card": "100 points / message", "cost_label": "Message"}"""));
    }

    /** Poe's pages disagree on the default of allow_attachments, so it is the one key always sent. */
    @Test
    void unsetFieldsAreLeftToPoesDefaultsButAttachmentsAreAlwaysDecided() throws Exception {
        assertThat((JsonNode) json.valueToTree(PoeBotSettings.of(bot(new PoeSettings()))))
                .isEqualTo(json.readTree("""
                        {"response_version": 2, "server_bot_dependencies": {}, "allow_attachments": true}"""));
        assertThat((JsonNode) json.valueToTree(PoeBotSettings.of(bot(null)))).isEqualTo(json.readTree("""
                {"response_version": 2, "server_bot_dependencies": {}, "allow_attachments": true}"""));
    }

    @Test
    void aBotAllowsAttachmentsUnlessItsPoeSettingsSayNo() {
        LLMBotSpec vision = bot(null);
        vision.setImages(new ImageInput());
        assertThat(PoeBotSettings.of(vision).allowAttachments()).isTrue();

        PoeSettings explicit = new PoeSettings();
        explicit.setAllowAttachments(false);
        assertThat(PoeBotSettings.of(bot(explicit)).allowAttachments()).isFalse();
        assertThat(PoeBotSettings.of(bot(null)).allowAttachments()).isTrue();
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
        PoeBotSettings one = PoeBotSettings.of(bot(first));

        assertThat(one.json()).isEqualTo(PoeBotSettings.of(bot(second)).json());
        assertThat(one.hash()).isEqualTo(PoeBotSettings.of(bot(second)).hash()).hasSize(16).matches("[0-9a-f]+");
        assertThat(json.readTree(one.json())).isEqualTo(json.valueToTree(one));

        second.setIntroductionMessage("Hello");
        assertThat(PoeBotSettings.of(bot(second)).hash()).isNotEqualTo(one.hash());
        PoeSettings named = new PoeSettings();
        named.setBotName("MyBot");
        assertThat(PoeBotSettings.of(bot(named)).json()).as("the bot's Poe name is not a setting")
                .isEqualTo(PoeBotSettings.of(bot(null)).json()).doesNotContain("MyBot");
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

        JsonNode controls = json.readTree(PoeBotSettings.of(bot.getSpec()).json()).path("parameter_controls");

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
        assertThat(PoeBotSettings.of(bot(null)).parameterControls()).isNull();
    }
}
