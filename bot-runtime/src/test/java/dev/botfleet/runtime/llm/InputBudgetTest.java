package dev.botfleet.runtime.llm;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class InputBudgetTest {

    private final TokenCounter tokens = new TokenCounter();
    private final InputBudget budget = new InputBudget(tokens);

    private static Conversation conversation(int turns) {
        List<List<ChatMessage>> history = new java.util.ArrayList<>();
        for (int i = 0; i < turns; i++) {
            history.add(List.of(ChatMessage.user("turn " + i + " is about the weather")));
        }
        return new Conversation(List.of(ChatMessage.system("Be brief.")), history);
    }

    @Test
    void openAisEncodingsCountKnownModelsAndOthersAreEstimatedHigher() {
        List<ChatMessage> hello = List.of(ChatMessage.user("hello world"));

        assertThat(tokens.forModel("gpt-4o-mini").count(hello)).isEqualTo(TokenCounter.PER_MESSAGE + 2);
        assertThat(tokens.forModel("gpt-4.1").count(hello)).isEqualTo(TokenCounter.PER_MESSAGE + 2);
        assertThat(tokens.forModel("gpt-3.5-turbo").count(hello)).isEqualTo(TokenCounter.PER_MESSAGE + 2);
        assertThat(tokens.forModel("llama-3.1-70b").count(hello)).isEqualTo(TokenCounter.PER_MESSAGE + 2 + 2);
        assertThat(tokens.forModel(null).count(hello)).isEqualTo(8);
        assertThat(tokens.forModel("gpt-4o").count(List.of(ChatMessage.user("ünïcødé 你好")))).isGreaterThan(4);
    }

    @Test
    void withoutABudgetEveryTurnIsKept() {
        InputBudget.Fit fit = budget.fit(conversation(50), null, () -> "gpt-4o");

        assertThat(fit).isEqualTo(new InputBudget.Fit.Fitted(conversation(50), 0));
    }

    @Test
    void theOldestTurnsGoUntilTheRestFits() {
        Conversation whole = conversation(10);
        int prompt = tokens.forModel("gpt-4o").count(whole.prompt());
        int perTurn = tokens.forModel("gpt-4o").count(whole.turns().get(9));
        int budgetForThree = TokenCounter.PER_REPLY + prompt + 3 * perTurn;

        InputBudget.Fit.Fitted fitted = (InputBudget.Fit.Fitted) budget.fit(whole, budgetForThree, () -> "gpt-4o");

        assertThat(fitted.leftOut()).isEqualTo(7);
        assertThat(fitted.conversation().messages()).extracting(ChatMessage::content)
                .containsExactly("Be brief.", "turn 7 is about the weather", "turn 8 is about the weather",
                        "turn 9 is about the weather");
        assertThat(budget.fit(whole, budgetForThree - 1, () -> "gpt-4o")).isEqualTo(
                new InputBudget.Fit.Fitted(whole.withoutOldest(8), 8));
    }

    @Test
    void theLatestMessageIsNeverLeftOut() {
        Conversation whole = conversation(3);
        int needed = TokenCounter.PER_REPLY + tokens.forModel("gpt-4o").count(whole.prompt())
                + tokens.forModel("gpt-4o").count(whole.turns().get(2));

        assertThat(budget.fit(whole, needed - 1, () -> "gpt-4o"))
                .isEqualTo(new InputBudget.Fit.TooLong(needed, needed - 1));
        assertThat(new InputBudget.Fit.TooLong(120, 100).diagnosis()).contains("about 120 tokens",
                "maxInputTokens 100");
    }
}
