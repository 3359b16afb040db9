package dev.botfleet.runtime.usage;

import dev.botfleet.api.BotParameters;
import dev.botfleet.api.LLMBotSpec;
import dev.botfleet.handler.AnswerUsage;
import dev.botfleet.handler.poe.PoeEvent;
import dev.botfleet.handler.poe.QueryRequest;
import dev.botfleet.runtime.llm.Conversation;
import dev.botfleet.runtime.llm.TokenCounter;

import java.util.List;

/**
 * The tokens of one answer: before it, what it will send and the most it may write; after it, what it used, from
 * the usage the models reported or, where none did, from the tokens counted in what it delivered. One per answer,
 * from {@link Metering#metered}.
 */
public final class Meter {

    private final LLMBotSpec bot;
    private final QueryRequest request;
    private final TokenCounter.ModelTokens modelTokens;
    private final AnswerPrices prices;
    private final AnswerUsage usage = new AnswerUsage();
    private final StringBuilder written = new StringBuilder();
    private volatile boolean delivered;
    private long inputTokens = -1;

    Meter(LLMBotSpec bot, QueryRequest request, TokenCounter.ModelTokens modelTokens, AnswerPrices prices) {
        this.bot = bot;
        this.request = request;
        this.modelTokens = modelTokens;
        this.prices = prices;
    }

    /** The input, counted as for maxInputTokens: at most that budget, as the oldest turns are left out to fit. */
    public synchronized long inputTokens() {
        if (inputTokens < 0) {
            int counted = modelTokens.input(Conversation.of(bot, request).messages());
            inputTokens = bot.getMaxInputTokens() == null ? counted : Math.min(counted, bot.getMaxInputTokens());
        }
        return inputTokens;
    }

    /** The most the model may write: maxTokens, or the highest a parameter control lets a user choose; 0 if unbounded. */
    public long mostOutputTokens() {
        long most = bot.getMaxTokens() == null ? 0 : bot.getMaxTokens();
        BotParameters parameters = bot.getParameters();
        if (parameters != null && parameters.getMaxTokens() != null) {
            most = Math.max(most, (long) Math.ceil(parameters.getMaxTokens().getMax()));
        }
        return most;
    }

    /** Follows what the answer delivers: the text the user reads, to count when no usage is reported. */
    public void follow(PoeEvent event) {
        if (event instanceof PoeEvent.Text text) {
            append(text.text(), false);
        } else if (event instanceof PoeEvent.ReplaceResponse replaced) {
            append(replaced.text(), true);
        } else if (event instanceof PoeEvent.Json || event instanceof PoeEvent.File) {
            delivered = true;
        }
    }

    private synchronized void append(String text, boolean replacing) {
        if (replacing) {
            written.setLength(0);
        }
        written.append(text);
        delivered = true;
    }

    /** What the models asked for this answer report they used. */
    AnswerUsage usage() {
        return usage;
    }

    /** Whether the user has received anything of the answer. */
    public boolean delivered() {
        return delivered;
    }

    /** Whether a model is known to have used anything: it reported usage, or the user received something. */
    public boolean usedAnything() {
        return usage.reported() || delivered;
    }

    public long usedInputTokens() {
        return usage.reported() ? usage.inputTokens() : inputTokens();
    }

    public synchronized long usedOutputTokens() {
        return usage.reported() ? usage.outputTokens() : modelTokens.output(written.toString());
    }

    /** What the answer may cost at most, in usd_milli_cents: its input and most output at the first model's price. */
    public long mostCost() {
        return prices.cost(List.of(prices.primary(inputTokens(), mostOutputTokens())));
    }

    /** What the answer cost, in usd_milli_cents: each model's reported tokens at its price, or the counted ones. */
    public long usedCost() {
        return prices.cost(usage.reported() ? usage.byModel()
                : List.of(prices.primary(usedInputTokens(), usedOutputTokens())));
    }
}
