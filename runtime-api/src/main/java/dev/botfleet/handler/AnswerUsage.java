package dev.botfleet.handler;

import dev.botfleet.handler.poe.PoeEvent;
import reactor.core.publisher.Flux;
import reactor.util.context.ContextView;

import java.util.Optional;
import java.util.function.Function;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The tokens one answer used, as the models it asked reported them. The runtime puts one into the subscriber context
 * of the answers of priced bots and bots with budgets; a handler that calls a model reports its usage here, so that the user pays for
 * what was used rather than an estimate. Every attempt's usage counts: retries and fallbacks included.
 */
public final class AnswerUsage {

    private final AtomicLong inputTokens = new AtomicLong();
    private final AtomicLong outputTokens = new AtomicLong();
    private volatile boolean reported;

    /** The answer's usage in {@code context}, when its bot is priced. */
    public static Optional<AnswerUsage> in(ContextView context) {
        return context.getOrEmpty(AnswerUsage.class);
    }

    /**
     * Runs {@code answer} with the answer's usage: the one already in the subscriber context, so that every part of
     * the runtime counting an answer reads the same usage, or a new one put there.
     */
    public static Flux<PoeEvent> shared(Function<AnswerUsage, Flux<PoeEvent>> answer) {
        return Flux.deferContextual(view -> in(view).map(answer).orElseGet(() -> {
            AnswerUsage usage = new AnswerUsage();
            return answer.apply(usage).contextWrite(context -> context.put(AnswerUsage.class, usage));
        }));
    }

    public void report(long input, long output) {
        inputTokens.addAndGet(input);
        outputTokens.addAndGet(output);
        reported = true;
    }

    /** Whether any model reported usage; if none did, the runtime estimates it. */
    public boolean reported() {
        return reported;
    }

    public long inputTokens() {
        return inputTokens.get();
    }

    public long outputTokens() {
        return outputTokens.get();
    }
}
