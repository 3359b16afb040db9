package dev.botfleet.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** What the bot answers when a user sends the bot-info command. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BotInfo {

    /** The message that asks a bot to describe itself instead of forwarding to the model. */
    public static final String COMMAND = "/botinfo";

    @JsonPropertyDescription("Whether the message '/botinfo' is answered with a JSON summary of the bot (name, "
            + "provider, model, settings; never a secret) instead of being sent to the model. Default true.")
    private Boolean enabled;

    @JsonPropertyDescription("Whether that summary includes the system prompt. Default false.")
    private Boolean includeSystemPrompt;

    public Boolean getEnabled() {
        return enabled;
    }

    public void setEnabled(Boolean enabled) {
        this.enabled = enabled;
    }

    public Boolean getIncludeSystemPrompt() {
        return includeSystemPrompt;
    }

    public void setIncludeSystemPrompt(Boolean includeSystemPrompt) {
        this.includeSystemPrompt = includeSystemPrompt;
    }
}
