package dev.botfleet.runtime.redis;

import dev.botfleet.api.BotBudgets;
import dev.botfleet.runtime.budgets.Budget;
import dev.botfleet.runtime.budgets.BudgetCounts;
import dev.botfleet.runtime.budgets.BudgetCountsContract;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The budgets counted in a real Redis server, the keys they leave there, and what queries meet while it is gone. */
class RedisBudgetCountsTest extends BudgetCountsContract {

    @RegisterExtension
    static final RedisFixture REDIS = new RedisFixture("budgets-password");

    private final RedisStore store = REDIS.store(RedisSettings.FailurePolicy.OPEN);
    private final String prefix = "test-" + UUID.randomUUID();
    private final RedisBudgetCounts counts = new RedisBudgetCounts(store, prefix);

    @Override
    protected BudgetCounts counts() {
        return counts;
    }

    @Test
    void everyKeyExpiresAMinuteAfterItsPeriod() {
        BotBudgets budgets = new BotBudgets();
        budgets.setTokensPerDay(1000L);
        budgets.setTokensPerDayPerUser(100L);
        budgets.setTokensPerMinute(500L);
        settle(reservation(reserve("u" + "x".repeat(200), budgets, 10, NOON)), 7);

        RedisURI uri = RedisURI.create(REDIS.server().url());
        uri.setPassword(REDIS.server().password().toCharArray());
        RedisClient client = RedisClient.create(uri);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            List<String> keys = connection.sync().keys(prefix + ":*");
            assertThat(keys).hasSize(3).allSatisfy(key -> assertThat(key).hasSizeLessThan(150)
                    .startsWith(prefix + ":{bot}:budget:"));
            for (String key : keys) {
                assertThat(connection.sync().get(key)).isEqualTo("7");
                long ttl = connection.sync().pttl(key);
                Duration kept = key.contains(Budget.TOKENS_PER_MINUTE.tag()) ? Budget.TOKENS_PER_MINUTE.kept()
                        : Budget.TOKENS_PER_DAY.kept();
                assertThat(ttl).isPositive().isLessThanOrEqualTo(kept.toMillis());
            }
        } finally {
            client.shutdown();
        }
    }

    @Test
    void whileRedisIsGoneAGroupFailingOpenAdmitsUncountedAndOneFailingClosedRefuses() throws Exception {
        RedisStore closedStore = REDIS.store(RedisSettings.FailurePolicy.CLOSED);
        RedisBudgetCounts closed = new RedisBudgetCounts(closedStore, prefix);
        BotBudgets budgets = tokensPerMinute(100);
        reservation(reserve("user", budgets, 10, NOON));
        reservation(closed.reserve("bot", "user", budgets, new BudgetCounts.Spend(10, 0), NOON).block());
        REDIS.server().stop();

        long start = System.nanoTime();
        BudgetCounts.Reservation uncounted = reservation(reserve("user", budgets, 1_000, NOON));
        assertThat(settle(uncounted, 1_000)).as("nothing to correct").isNull();
        assertThat(closed.reserve("bot", "user", budgets, new BudgetCounts.Spend(10, 0), NOON).block())
                .isEqualTo(new BudgetCounts.Admission.Unavailable());
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
        assertThat(REDIS.registry().get("botfleet.shared.counts.errors").tag("operation", "reserve").counter()
                .count()).isGreaterThanOrEqualTo(2);

        REDIS.server().start();
        await().atMost(Duration.ofSeconds(5)).until(() -> closed.reserve("bot", "user", budgets,
                new BudgetCounts.Spend(60, 0), NOON).block() instanceof BudgetCounts.Admission.Admitted);
        reservation(reserve("user", budgets, 60, NOON));
        assertThat(reserve("user", budgets, 1, NOON)).as("counted again once Redis is back")
                .isInstanceOf(BudgetCounts.Admission.Refused.class);
    }
}
