package dev.botfleet.runtime.limits;

import dev.botfleet.api.BotLimits;
import dev.botfleet.handler.BotContext;
import dev.botfleet.handler.BotHandler;
import dev.botfleet.handler.poe.PoeEvent;
import dev.botfleet.handler.poe.QueryRequest;
import dev.botfleet.runtime.BotMetrics;
import reactor.core.publisher.Flux;

/**
 * Holds each query to its bot's {@code spec.limits} before any handler runs: a query over a limit is answered at
 * once with a Poe error, and the handler, so the provider, never sees it.
 */
public final class LimitedBotHandler implements BotHandler {

    private final BotHandler next;
    private final QueryLimiter limiter;
    private final BotMetrics metrics;

    public LimitedBotHandler(BotHandler next, QueryLimiter limiter, BotMetrics metrics) {
        this.next = next;
        this.limiter = limiter;
        this.metrics = metrics;
    }

    @Override
    public Flux<PoeEvent> answer(BotContext context, QueryRequest request) {
        return Flux.defer(() -> {
            BotLimits limits = context.bot().getSpec().getLimits();
            QueryLimiter.Admission admission = limiter.admit(context.botName(), request.userId(), limits);
            if (admission instanceof QueryLimiter.Admission.Admitted admitted) {
                return next.answer(context, request).doFinally(signal -> admitted.permit().close());
            }
            QueryLimiter.Limit limit = ((QueryLimiter.Admission.Refused) admission).limit();
            metrics.limited(context.botName(), limit.tag());
            return Flux.just(refusal(limit, limits));
        });
    }

    private static PoeEvent.Error refusal(QueryLimiter.Limit limit, BotLimits limits) {
        return switch (limit) {
            case USER_RATE -> PoeEvent.Error.notRetryable("You are sending messages to this bot too fast: at most "
                    + limits.getRequestsPerMinutePerUser() + " per minute. Please wait a moment.");
            case USER_CONCURRENCY -> PoeEvent.Error.notRetryable("You already have "
                    + limits.getConcurrentAnswersPerUser() + " answer(s) of this bot in progress. Please wait for "
                    + "one to finish.");
            case BOT_CONCURRENCY -> PoeEvent.Error.retryable("This bot is answering as many messages as it may at "
                    + "once. Please try again shortly.");
        };
    }
}
