package dev.botfleet.runtime.limits;

import dev.botfleet.api.BotLimits;
import dev.botfleet.handler.BotContext;
import dev.botfleet.handler.BotHandler;
import dev.botfleet.handler.poe.PoeEvent;
import dev.botfleet.handler.poe.QueryRequest;
import dev.botfleet.runtime.BotMetrics;
import dev.botfleet.runtime.poe.UserError;
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
            return Flux.just(refusal(limit, limits, request.languageCode()));
        });
    }

    /** The per-user refusals allow no retry: an immediate one would be refused again. */
    private static PoeEvent.Error refusal(QueryLimiter.Limit limit, BotLimits limits, String language) {
        return switch (limit) {
            case USER_RATE -> UserError.TOO_FAST.in(language, limits.getRequestsPerMinutePerUser());
            case USER_CONCURRENCY -> UserError.TOO_MANY_AT_ONCE.in(language, limits.getConcurrentAnswersPerUser());
            case BOT_CONCURRENCY -> UserError.BOT_BUSY.in(language);
        };
    }
}
