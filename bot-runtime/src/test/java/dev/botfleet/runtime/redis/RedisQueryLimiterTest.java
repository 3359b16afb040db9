package dev.botfleet.runtime.redis;

import dev.botfleet.api.BotLimits;
import dev.botfleet.runtime.limits.QueryLimiter;
import dev.botfleet.runtime.limits.QueryLimiterContract;
import dev.botfleet.testing.RedisServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The limits kept in a real Redis server, and what queries meet while it is gone. */
class RedisQueryLimiterTest extends QueryLimiterContract {

    private static RedisServer redis;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final RedisStore store = store(RedisSettings.FailurePolicy.OPEN);
    /** A prefix of each test's own, so that the tests count apart in one server. */
    private final String prefix = "test-" + UUID.randomUUID();
    private final RedisQueryLimiter limiter = new RedisQueryLimiter(store, prefix, Duration.ofMinutes(11));

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisServer.start("limits-password");
    }

    @AfterAll
    static void stopRedis() throws Exception {
        redis.close();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    private RedisStore store(RedisSettings.FailurePolicy policy) {
        return new RedisStore(new RedisSettings(redis.url(), redis.password(), Duration.ofMillis(300), policy, null),
                registry).connected(Duration.ofSeconds(5));
    }

    @Override
    protected QueryLimiter limiter() {
        return limiter;
    }

    @Test
    void twoReplicasShareOneCount() {
        RedisStore otherStore = store(RedisSettings.FailurePolicy.OPEN);
        try {
            RedisQueryLimiter otherReplica = new RedisQueryLimiter(otherStore, prefix, Duration.ofMinutes(11));
            BotLimits limits = limits(2, 1, null);
            QueryLimiter.Permit here = permit(admit("b", "alice", limits));

            assertThat(refusal(otherReplica.admit("b", "alice", limits).block()))
                    .isEqualTo(QueryLimiter.Limit.USER_CONCURRENCY);
            here.close();
            permit(otherReplica.admit("b", "alice", limits).block()).close();
            assertThat(refusal(admit("b", "alice", limits))).as("the refused query used none of the rate")
                    .isEqualTo(QueryLimiter.Limit.USER_RATE);
        } finally {
            otherStore.close();
        }
    }

    @Test
    void aReplicaThatDiedWithAnswersOpenHoldsTheirPlacesOnlyUntilTheirLeaseEnds() {
        RedisQueryLimiter dying = new RedisQueryLimiter(store, prefix, Duration.ofMillis(700));
        BotLimits limits = limits(null, null, 2);
        permit(dying.admit("b", "alice", limits).block());
        permit(dying.admit("b", "bob", limits).block());
        assertThat(refusal(admit("b", "carol", limits))).isEqualTo(QueryLimiter.Limit.BOT_CONCURRENCY);

        await().atMost(Duration.ofSeconds(3)).until(() -> admit("b", "carol", limits)
                instanceof QueryLimiter.Admission.Admitted);
    }

    @Test
    void aLongUserIdIsHashedIntoItsKey() {
        BotLimits limits = limits(null, 1, null);
        String longId = "u".repeat(5_000);
        permit(admit("b", longId, limits));
        assertThat(refusal(admit("b", longId, limits))).isEqualTo(QueryLimiter.Limit.USER_CONCURRENCY);
        permit(admit("b", longId + "x", limits));
    }

    @Test
    void whileRedisIsGoneAGroupFailingOpenAdmitsAndOneFailingClosedRefusesWithinTheTimeout() throws Exception {
        RedisStore closedStore = store(RedisSettings.FailurePolicy.CLOSED);
        RedisQueryLimiter closed = new RedisQueryLimiter(closedStore, prefix, Duration.ofMinutes(11));
        BotLimits limits = limits(100, 1, null);
        try {
            permit(admit("b", "alice", limits)).close();
            permit(closed.admit("b", "bob", limits).block()).close();
            redis.stop();

            for (int i = 0; i < 3; i++) {
                long start = System.nanoTime();
                assertThat(admit("b", "alice", limits)).isEqualTo(
                        new QueryLimiter.Admission.Admitted(QueryLimiter.Permit.NOTHING_HELD));
                assertThat(closed.admit("b", "bob", limits).block())
                        .isEqualTo(new QueryLimiter.Admission.Unavailable());
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1_000));
            }
            assertThat(registry.get("botfleet.shared.counts.errors").tag("operation", "admit").counter().count())
                    .isGreaterThanOrEqualTo(6);

            redis.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> closed.admit("b", "bob", limits).block()
                    instanceof QueryLimiter.Admission.Admitted);
            QueryLimiter.Permit counted = permit(admit("b", "alice", limits));
            assertThat(refusal(admit("b", "alice", limits))).as("counting again once Redis is back")
                    .isEqualTo(QueryLimiter.Limit.USER_CONCURRENCY);
            counted.close();
        } finally {
            closedStore.close();
        }
    }
}
