package dev.botfleet.runtime.budgets;

import dev.botfleet.api.BotBudgets;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** What every {@link BudgetCounts} does, on one replica or shared by many. */
public abstract class BudgetCountsContract {

    protected static final Instant NOON = Instant.parse("2026-12-02T12:00:30Z");

    protected abstract BudgetCounts counts();

    protected static BotBudgets tokensPerMinute(long limit) {
        BotBudgets budgets = new BotBudgets();
        budgets.setTokensPerMinute(limit);
        return budgets;
    }

    protected BudgetCounts.Admission reserve(String user, BotBudgets budgets, long tokens, Instant now) {
        return counts().reserve("bot", user, budgets, new BudgetCounts.Spend(tokens, 0), now).block();
    }

    protected static BudgetCounts.Reservation reservation(BudgetCounts.Admission admission) {
        assertThat(admission).isInstanceOf(BudgetCounts.Admission.Admitted.class);
        return ((BudgetCounts.Admission.Admitted) admission).reservation();
    }

    protected static Map<Budget, Long> settle(BudgetCounts.Reservation reservation, long tokens) {
        return reservation.settle(new BudgetCounts.Spend(tokens, 0)).block();
    }

    @Test
    void aBudgetAdmitsWhileSomethingIsLeftAndTheNextPeriodStartsWhole() {
        BotBudgets budgets = tokensPerMinute(100);
        reservation(reserve("user", budgets, 60, NOON));
        reservation(reserve("user", budgets, 60, NOON.plusSeconds(1)));
        assertThat(reserve("user", budgets, 1, NOON.plusSeconds(2))).as("120 counted of 100")
                .isEqualTo(new BudgetCounts.Admission.Refused(Budget.TOKENS_PER_MINUTE, Duration.ofSeconds(28)));
        reservation(reserve("user", budgets, 1, NOON.plusSeconds(30)));
    }

    @Test
    void settlingCorrectsTheEstimateToWhatWasUsedOnce() {
        BotBudgets budgets = tokensPerMinute(100);
        BudgetCounts.Reservation first = reservation(reserve("user", budgets, 100, NOON));
        assertThat(reserve("user", budgets, 1, NOON)).isInstanceOf(BudgetCounts.Admission.Refused.class);

        assertThat(settle(first, 30)).isEqualTo(Map.of(Budget.TOKENS_PER_MINUTE, 30L));
        assertThat(settle(first, 0)).as("settled before").isNull();

        reservation(reserve("user", budgets, 69, NOON));
        reservation(reserve("user", budgets, 1, NOON));
        assertThat(reserve("user", budgets, 1, NOON)).isInstanceOf(BudgetCounts.Admission.Refused.class);
    }

    @Test
    void aRefusalCountsNothingAgainstTheOtherBudgets() {
        BotBudgets budgets = new BotBudgets();
        budgets.setTokensPerDay(1000L);
        budgets.setTokensPerDayPerUser(10L);
        reservation(reserve("user", budgets, 10, NOON));

        var refused = (BudgetCounts.Admission.Refused) reserve("user", budgets, 500, NOON);

        assertThat(refused.budget()).isEqualTo(Budget.TOKENS_PER_DAY_PER_USER);
        assertThat(refused.untilReset()).isEqualTo(Duration.ofHours(12).minusSeconds(30));
        BudgetCounts.Reservation other = reservation(reserve("someone-else", budgets, 5, NOON));
        assertThat(settle(other, 5)).as("the bot's own count only, without the refused 500")
                .isEqualTo(Map.of(Budget.TOKENS_PER_DAY, 15L));
    }

    @Test
    void answersStartedTogetherSeeEachOther() throws Exception {
        BotBudgets budgets = new BotBudgets();
        budgets.setTokensPerDay(1000L);
        ExecutorService threads = Executors.newFixedThreadPool(16);
        try {
            List<Future<BudgetCounts.Admission>> admissions = IntStream.range(0, 300)
                    .mapToObj(i -> threads.submit(() -> reserve("user-" + i, budgets, 10, NOON))).toList();
            long admitted = 0;
            for (Future<BudgetCounts.Admission> admission : admissions) {
                admitted += admission.get() instanceof BudgetCounts.Admission.Admitted ? 1 : 0;
            }
            assertThat(admitted).as("admitted while the count was under 1000, each counting 10").isEqualTo(100);
        } finally {
            threads.shutdownNow();
        }
    }
}
