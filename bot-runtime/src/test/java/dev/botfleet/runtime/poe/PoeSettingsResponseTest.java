package dev.botfleet.runtime.poe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.botfleet.api.ImageInput;
import dev.botfleet.api.LLMBotSpec;
import dev.botfleet.api.PoeSettings;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PoeSettingsResponseTest {

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

        JsonNode response = json.valueToTree(PoeSettingsResponse.of(bot(settings)));

        assertThat(response).isEqualTo(json.readTree("""
                {"response_version": 2, "server_bot_dependencies": {"GPT-4o": 2}, "allow_attachments": true,
                 "introduction_message": "Hi", "expand_text_attachments": false, "enable_image_comprehension": true,
                 "enforce_author_role_alternation": true, "enable_multi_entity_prompting": false,
                 "rate_card": "100 points / message", "cost_label": "Message"}"""));
    }

    /** Poe's pages disagree on the default of allow_attachments, so it is the one key always sent. */
    @Test
    void unsetFieldsAreLeftToPoesDefaultsButAttachmentsAreAlwaysDecided() throws Exception {
        assertThat((JsonNode) json.valueToTree(PoeSettingsResponse.of(bot(new PoeSettings()))))
                .isEqualTo(json.readTree("""
                        {"response_version": 2, "server_bot_dependencies": {}, "allow_attachments": true}"""));
        assertThat((JsonNode) json.valueToTree(PoeSettingsResponse.of(bot(null)))).isEqualTo(json.readTree("""
                {"response_version": 2, "server_bot_dependencies": {}, "allow_attachments": true}"""));
    }

    @Test
    void aBotAllowsAttachmentsUnlessItsPoeSettingsSayNo() {
        LLMBotSpec vision = bot(null);
        vision.setImages(new ImageInput());
        assertThat(PoeSettingsResponse.of(vision).allowAttachments()).isTrue();

        PoeSettings explicit = new PoeSettings();
        explicit.setAllowAttachments(false);
        assertThat(PoeSettingsResponse.of(bot(explicit)).allowAttachments()).isFalse();
        assertThat(PoeSettingsResponse.of(bot(null)).allowAttachments()).isTrue();
    }
}
