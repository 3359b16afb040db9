package dev.botfleet.runtime.poe;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.botfleet.api.PoeSettings;

import java.util.Map;

/** The answer to a {@code settings} request: what {@code spec.poe} sets, in Poe's settings format. */
public final class PoeSettingsResponse {

    /** Selects Poe's current table of defaults for the keys left out. */
    public static final int RESPONSE_VERSION = 2;

    private PoeSettingsResponse() {
    }

    public static ObjectNode of(PoeSettings settings, ObjectMapper json) {
        ObjectNode response = json.createObjectNode().put("response_version", RESPONSE_VERSION);
        ObjectNode dependencies = response.putObject("server_bot_dependencies");
        if (settings == null) {
            return response;
        }
        Map<String, Integer> declared = settings.getServerBotDependencies();
        if (declared != null) {
            declared.forEach(dependencies::put);
        }
        putIfSet(response, "allow_attachments", settings.getAllowAttachments());
        putIfSet(response, "introduction_message", settings.getIntroductionMessage());
        putIfSet(response, "expand_text_attachments", settings.getExpandTextAttachments());
        putIfSet(response, "enable_image_comprehension", settings.getEnableImageComprehension());
        putIfSet(response, "enforce_author_role_alternation", settings.getEnforceAuthorRoleAlternation());
        putIfSet(response, "enable_multi_entity_prompting", settings.getEnableMultiEntityPrompting());
        putIfSet(response, "rate_card", settings.getRateCard());
        putIfSet(response, "cost_label", settings.getCostLabel());
        return response;
    }

    private static void putIfSet(ObjectNode response, String key, Object value) {
        if (value instanceof Boolean flag) {
            response.put(key, flag);
        } else if (value instanceof String text) {
            response.put(key, text);
        }
    }
}
