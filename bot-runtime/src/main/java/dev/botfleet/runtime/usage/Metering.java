package dev.botfleet.runtime.usage;

import dev.botfleet.api.LLMBotSpec;
import dev.botfleet.api.ProviderTarget;
import dev.botfleet.handler.AnswerUsage;
import dev.botfleet.handler.BotContext;
import dev.botfleet.handler.poe.PoeEvent;
import dev.botfleet.handler.poe.QueryRequest;
import dev.botfleet.runtime.FleetContext;
import dev.botfleet.runtime.config.Fleet;
import dev.botfleet.runtime.config.LiveFleet;
import dev.botfleet.runtime.llm.TokenCounter;

import reactor.core.publisher.Flux;

import java.util.List;
import java.util.function.Function;

/**
 * Gives each answer that is charged or counted against a budget one {@link Meter}, shared by every part of the runtime
 * that counts it, so that its conversation is counted once and its events followed once.
 */
public final class Metering {

    private final LiveFleet live;
    private final TokenCounter tokens;

    public Metering(LiveFleet live, TokenCounter tokens) {
        this.live = live;
        this.tokens = tokens;
    }

    /**
     * Runs {@code answer} with the answer's meter: the one in the subscriber context, which an outer handler already
     * follows, or a new one that follows the events {@code answer} returns and whose {@link AnswerUsage} the models'
     * handlers report to.
     */
    public Flux<PoeEvent> metered(BotContext context, QueryRequest request, Function<Meter, Flux<PoeEvent>> answer) {
        return Flux.deferContextual(view -> view.<Meter>getOrEmpty(Meter.class).map(answer).orElseGet(() -> {
            Meter meter = start(context, request);
            return answer.apply(meter).doOnNext(meter::follow)
                    .contextWrite(subscriber -> subscriber.put(Meter.class, meter)
                            .put(AnswerUsage.class, meter.usage()));
        }));
    }

    private Meter start(BotContext context, QueryRequest request) {
        Fleet fleet = FleetContext.fleetOf(context, live);
        LLMBotSpec bot = context.bot().getSpec();
        List<ProviderTarget> targets = bot.targets();
        String primaryProvider = targets.isEmpty() ? null : targets.get(0).providerName();
        String primaryModel = fleet.firstModel(bot);
        return new Meter(bot, request, tokens.forModel(primaryModel),
                new AnswerPrices(fleet, bot.getPricing(), primaryProvider, primaryModel));
    }
}
