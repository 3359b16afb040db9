package dev.botfleet.handler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.botfleet.api.LLMBot;

/**
 * The bot being asked, fixed for the whole answer. A handler sees its own bot and nothing else of the
 * configuration: not the other bots, not the providers' keys.
 */
public interface BotContext {

    LLMBot bot();

    default String botName() {
        return bot().getMetadata().getName();
    }

    /** The bot's {@code spec.handlerSettings}, or an empty object. */
    default JsonNode settings() {
        JsonNode settings = bot().getSpec().getHandlerSettings();
        return settings == null ? JsonNodeFactory.instance.objectNode() : settings;
    }
}
