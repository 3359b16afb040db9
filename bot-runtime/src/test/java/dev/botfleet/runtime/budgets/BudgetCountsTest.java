package dev.botfleet.runtime.budgets;

import dev.botfleet.api.BotBudgets;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class BudgetCountsTest {

    private static final Instant NOON = Instant.parse("2026-12-02T12:00:30Z");

    private final BudgetCounts counts = new BudgetCounts(1000);

    private static BotBudgets tokensPerMinute(long limit) {
        BotBudgets budgets = new BotBudgets();
        budgets.setTokensPerMinute(limit);
        return budgets;
    }

    private BudgetCounts.Admission reserve(BotBudgets budgets, long tokens, Instant now) {
        return counts.reserve("bot", "user", budgets, new BudgetCounts.Spend(tokens, 0), now);
    }

    @Test
    void aBudgetAdmitsWhileSomethingIsLeftAndTheNextPeriodStartsWhole() {
        BotBudgets budgets = tokensPerMinute(100);
        assertThat(reserve(budgets, 60, NOON)).isInstanceOf(BudgetCounts.Admission.Admitted.class);
        assertThat(reserve(budgets, 60, NOON.plusSeconds(1))).as("40 left: admitted, counted in full")
                .isInstanceOf(BudgetCounts.Admission.Admitted.class);
        assertThat(reserve(budgets, 1, NOON.plusSeconds(2))).isEqualTo(new BudgetCounts.Admission.Refused(
                Budget.TOKENS_PER_MINUTE, Duration.ofSeconds(28)));
        assertThat(counts.remaining("bot", Budget.TOKENS_PER_MINUTE, 100, NOON)).isZero();
        assertThat(reserve(budgets, 1, NOON.plusSeconds(30))).as("the next minute")
                .isInstanceOf(BudgetCounts.Admission.Admitted.class);
    }

    @Test
    void settlingCorrectsTheEstimateToWhatWasUsedOnce() {
        BotBudgets budgets = tokensPerMinute(100);
        var first = (BudgetCounts.Admission.Admitted) reserve(budgets, 100, NOON);
        assertThat(reserve(budgets, 1, NOON)).isInstanceOf(BudgetCounts.Admission.Refused.class);

        first.reservation().settle(new BudgetCounts.Spend(30, 0));
        first.reservation().settle(new BudgetCounts.Spend(0, 0));

        assertThat(counts.remaining("bot", Budget.TOKENS_PER_MINUTE, 100, NOON)).isEqualTo(70);
    }

    @Test
    void aRefusalCountsNothingAgainstTheOtherBudgets() {
        BotBudgets budgets = new BotBudgets();
        budgets.setTokensPerDay(1000L);
        budgets.setTokensPerDayPerUser(10L);
        reserve(budgets, 10, NOON);

        var refused = (BudgetCounts.Admission.Refused) reserve(budgets, 500, NOON);

        assertThat(refused.budget()).isEqualTo(Budget.TOKENS_PER_DAY_PER_USER);
        assertThat(refused.untilReset()).isEqualTo(Duration.ofHours(12).minusSeconds(30));
        assertThat(counts.remaining("bot", Budget.TOKENS_PER_DAY, 1000, NOON)).isEqualTo(990);
        assertThat(counts.reserve("bot", "someone-else", budgets, new BudgetCounts.Spend(5, 0), NOON))
                .isInstanceOf(BudgetCounts.Admission.Admitted.class);
    }
}
