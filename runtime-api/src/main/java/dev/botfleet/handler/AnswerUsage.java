package dev.botfleet.handler;

import reactor.util.context.ContextView;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The tokens one answer used, as the models it asked reported them. The runtime puts one into the subscriber context
 * of the answers of priced bots and bots with budgets; a handler that calls a model reports its usage here, so that
 * what was used is charged and counted rather than an estimate. Every attempt's usage counts: retries and fallbacks included.
 */
public final class AnswerUsage {

    /** What one model used: the LLMProvider that served it and the model, each null when the reporter named none. */
    public record ModelUsage(String provider, String model, long inputTokens, long outputTokens) {
    }

    private final AtomicLong inputTokens = new AtomicLong();
    private final AtomicLong outputTokens = new AtomicLong();
    private final List<ModelUsage> byModel = new CopyOnWriteArrayList<>();
    private volatile boolean reported;

    /** The answer's usage in {@code context}, when its bot is priced or has budgets. */
    public static Optional<AnswerUsage> in(ContextView context) {
        return context.getOrEmpty(AnswerUsage.class);
    }

    /** Tokens of a model the reporter does not name: they count as the bot's first model's. */
    public void report(long input, long output) {
        report(null, null, input, output);
    }

    /** Tokens that {@code model} of LLMProvider {@code provider} used, so they are priced at its price. */
    public void report(String provider, String model, long input, long output) {
        byModel.add(new ModelUsage(provider, model, input, output));
        inputTokens.addAndGet(input);
        outputTokens.addAndGet(output);
        reported = true;
    }

    /** Every report, in the order they came. */
    public List<ModelUsage> byModel() {
        return List.copyOf(byModel);
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
