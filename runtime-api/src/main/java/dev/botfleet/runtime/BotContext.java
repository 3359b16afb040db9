package dev.botfleet.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.botfleet.api.LLMBot;
import dev.botfleet.runtime.config.Fleet;

/** The bot being asked and the configuration it was found in, fixed for the whole answer. */
public record BotContext(LLMBot bot, Fleet fleet) {

    public String botName() {
        return bot.getMetadata().getName();
    }

    /** The bot's {@code spec.handlerSettings}, or an empty object. */
    public JsonNode settings() {
        JsonNode settings = bot.getSpec().getHandlerSettings();
        return settings == null ? JsonNodeFactory.instance.objectNode() : settings;
    }
}
