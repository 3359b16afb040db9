package dev.botfleet.runtime.usage;

import dev.botfleet.api.LLMBotSpec;
import dev.botfleet.api.ProviderTarget;
import dev.botfleet.handler.BotContext;
import dev.botfleet.handler.poe.QueryRequest;
import dev.botfleet.runtime.FleetContext;
import dev.botfleet.runtime.config.Fleet;
import dev.botfleet.runtime.config.LiveFleet;
import dev.botfleet.runtime.llm.TokenCounter;

import java.util.List;

/** Starts a {@link Meter} for each answer that is charged or counted against a budget. */
public final class Metering {

    private final LiveFleet live;
    private final TokenCounter tokens;

    public Metering(LiveFleet live, TokenCounter tokens) {
        this.live = live;
        this.tokens = tokens;
    }

    public Meter start(BotContext context, QueryRequest request) {
        Fleet fleet = FleetContext.fleetOf(context, live);
        LLMBotSpec bot = context.bot().getSpec();
        return new Meter(bot, request, tokens.forModel(primaryModel(bot, fleet)));
    }

    /** The model first asked, whose encoding counts the tokens when no provider reports them. */
    private static String primaryModel(LLMBotSpec bot, Fleet fleet) {
        List<ProviderTarget> targets = bot.targets();
        if (targets.isEmpty()) {
            return bot.getModel();
        }
        ProviderTarget primary = targets.get(0);
        return fleet.provider(primary.providerName()).map(p -> p.getSpec().modelFor(primary.model()))
                .orElse(primary.model());
    }
}
