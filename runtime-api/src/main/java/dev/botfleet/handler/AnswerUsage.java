package dev.botfleet.handler;

import reactor.util.context.ContextView;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The tokens one answer used, as the models it asked reported them. The runtime puts one into the subscriber context
 * of the answers of priced bots and bots with budgets; a handler that calls a model reports its usage here, so that
 * what was used is charged and counted rather than an estimate. Every attempt's usage counts: retries and fallbacks included.
 */
public final class AnswerUsage {

    private final AtomicLong inputTokens = new AtomicLong();
    private final AtomicLong outputTokens = new AtomicLong();
    private volatile boolean reported;

    /** The answer's usage in {@code context}, when its bot is priced or has budgets. */
    public static Optional<AnswerUsage> in(ContextView context) {
        return context.getOrEmpty(AnswerUsage.class);
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
