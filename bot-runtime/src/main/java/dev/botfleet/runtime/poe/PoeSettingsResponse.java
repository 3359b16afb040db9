package dev.botfleet.runtime.poe;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.botfleet.api.LLMBotSpec;
import dev.botfleet.api.PoeSettings;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The answer to a {@code settings} request: what {@code spec.poe} sets, in Poe's settings format. Keys left unset
 * are left out, so Poe applies its own defaults for them, except {@code allow_attachments}: Poe's own pages disagree
 * on its default, so it is always sent.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PoeSettingsResponse(
        @JsonProperty("response_version") int responseVersion,
        @JsonProperty("server_bot_dependencies") Map<String, Integer> serverBotDependencies,
        @JsonProperty("allow_attachments") Boolean allowAttachments,
        @JsonProperty("introduction_message") String introductionMessage,
        @JsonProperty("expand_text_attachments") Boolean expandTextAttachments,
        @JsonProperty("enable_image_comprehension") Boolean enableImageComprehension,
        @JsonProperty("enforce_author_role_alternation") Boolean enforceAuthorRoleAlternation,
        @JsonProperty("enable_multi_entity_prompting") Boolean enableMultiEntityPrompting,
        @JsonProperty("rate_card") String rateCard,
        @JsonProperty("cost_label") String costLabel) {

    /** Selects Poe's current table of defaults for the keys left out. */
    public static final int RESPONSE_VERSION = 2;

    /** The bot's settings; a bot allows attachments unless poe.allowAttachments says no. */
    public static PoeSettingsResponse of(LLMBotSpec bot) {
        PoeSettings settings = bot.getPoe() == null ? new PoeSettings() : bot.getPoe();
        return of(settings, !Boolean.FALSE.equals(settings.getAllowAttachments()));
    }

    private static PoeSettingsResponse of(PoeSettings settings, Boolean allowAttachments) {
        Map<String, Integer> dependencies = settings.getServerBotDependencies();
        return new PoeSettingsResponse(RESPONSE_VERSION, dependencies == null ? Map.of()
                        : Collections.unmodifiableMap(new LinkedHashMap<>(dependencies)),
                allowAttachments, settings.getIntroductionMessage(),
                settings.getExpandTextAttachments(), settings.getEnableImageComprehension(),
                settings.getEnforceAuthorRoleAlternation(), settings.getEnableMultiEntityPrompting(),
                settings.getRateCard(), settings.getCostLabel());
    }
}
