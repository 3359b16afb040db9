package dev.botfleet.runtime;

import dev.botfleet.api.LLMBot;
import dev.botfleet.runtime.config.Fleet;

/** The bot being asked and the configuration it was found in, fixed for the whole answer. */
public record BotContext(LLMBot bot, Fleet fleet) {

    public String botName() {
        return bot.getMetadata().getName();
    }
}
