package dev.botfleet.runtime;

import dev.botfleet.api.LLMBot;
import dev.botfleet.handler.BotContext;
import dev.botfleet.runtime.config.Fleet;
import dev.botfleet.runtime.config.LiveFleet;

/** The runtime's own context of an answer: the bot and the configuration it was found in. */
public record FleetContext(LLMBot bot, Fleet fleet) implements BotContext {

    /**
     * The configuration an answer runs in. A context that a handler built itself, to pass an altered bot on, carries
     * none; the configuration serving now stands in.
     */
    public static Fleet fleetOf(BotContext context, LiveFleet live) {
        return context instanceof FleetContext own ? own.fleet() : live.current();
    }
}
