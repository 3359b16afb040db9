package dev.botfleet.runtime.llm;

import java.util.function.Supplier;

/**
 * Fits a conversation into a bot's {@code maxInputTokens} by leaving out its oldest turns, never the bot's system
 * prompt and never the message being answered.
 */
public final class InputBudget {

    /** What the conversation became: the messages to send, or the reason none can be. */
    public sealed interface Fit {

        /** @param leftOut how many of the oldest turns were left out */
        record Fitted(Conversation conversation, int leftOut) implements Fit {
        }

        /** Even the system prompt and the latest message alone cost {@code tokens}, over {@code budget}. */
        record TooLong(int tokens, int budget) implements Fit {

            /** For the owner's log; the user is told {@code message_too_long}. */
            public String diagnosis() {
                return "with the system prompt the latest message alone is about " + tokens
                        + " tokens, over maxInputTokens " + budget;
            }
        }
    }

    private final TokenCounter tokens;

    public InputBudget(TokenCounter tokens) {
        this.tokens = tokens;
    }

    /**
     * @param budget the bot's maxInputTokens; null keeps every turn
     * @param model  the model counted for, asked only when there is a budget
     */
    public Fit fit(Conversation conversation, Integer budget, Supplier<String> model) {
        if (budget == null) {
            return new Fit.Fitted(conversation, 0);
        }
        TokenCounter.ModelTokens modelTokens = tokens.forModel(model.get());
        int total = TokenCounter.PER_REPLY + modelTokens.count(conversation.prompt());
        int[] turnTokens = conversation.turns().stream().mapToInt(modelTokens::count).toArray();
        for (int cost : turnTokens) {
            total += cost;
        }
        int leftOut = 0;
        while (total > budget && leftOut < turnTokens.length - 1) {
            total -= turnTokens[leftOut++];
        }
        if (total > budget) {
            return new Fit.TooLong(total, budget);
        }
        return new Fit.Fitted(conversation.withoutOldest(leftOut), leftOut);
    }
}
