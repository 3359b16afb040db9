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

    /** The refusals' tag in metrics when the shared counts could not be reached and the group fails closed. */
    public static final String UNAVAILABLE_TAG = "shared_counts_unavailable";

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
        BotLimits limits = context.bot().getSpec().getLimits();
        if (limits == null) {
            return next.answer(context, request);
        }
        return limiter.admit(context.botName(), request.userId(), limits).flatMapMany(admission -> {
            if (admission instanceof QueryLimiter.Admission.Admitted admitted) {
                return next.answer(context, request).doFinally(signal -> admitted.permit().close());
            }
            if (admission instanceof QueryLimiter.Admission.Refused refused) {
                metrics.limited(context.botName(), refused.limit().tag());
                return Flux.just(refusal(refused.limit(), limits, request.languageCode()));
            }
            metrics.limited(context.botName(), UNAVAILABLE_TAG);
            return Flux.just(UserError.LIMITS_UNAVAILABLE.in(request.languageCode()));
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
