package dev.botfleet.runtime.redis;

import dev.botfleet.api.BotLimits;
import dev.botfleet.runtime.limits.QueryLimiter;
import dev.botfleet.runtime.limits.QueryLimiterContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The limits kept in a real Redis server, and what queries meet while it is gone. */
class RedisQueryLimiterTest extends QueryLimiterContract {

    @RegisterExtension
    static final RedisFixture REDIS = new RedisFixture("limits-password");

    private final RedisStore store = REDIS.store(RedisSettings.FailurePolicy.OPEN);
    /** A prefix of each test's own, so that the tests count apart in one server. */
    private final String prefix = "test-" + UUID.randomUUID();
    private final RedisQueryLimiter limiter = new RedisQueryLimiter(store, prefix, Duration.ofMinutes(11));

    @Override
    protected QueryLimiter limiter() {
        return limiter;
    }

    @Test
    void twoReplicasShareOneCount() {
        RedisStore otherStore = REDIS.store(RedisSettings.FailurePolicy.OPEN);
        RedisQueryLimiter otherReplica = new RedisQueryLimiter(otherStore, prefix, Duration.ofMinutes(11));
        BotLimits limits = limits(2, 1, null);
        QueryLimiter.Permit here = permit(admit("b", "alice", limits));

        assertThat(refusal(otherReplica.admit("b", "alice", limits).block()))
                .isEqualTo(QueryLimiter.Limit.USER_CONCURRENCY);
        here.close();
        // A release travels on its replica's own connection: until it lands, alice still has an answer open on that
        // replica, and a query refused for it uses none of her rate.
        await().atMost(Duration.ofSeconds(2)).until(() -> otherReplica.admit("b", "alice", limits).block()
                instanceof QueryLimiter.Admission.Admitted admitted && closed(admitted.permit()));
        await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(refusal(admit("b", "alice", limits)))
                .as("the refused query used none of the rate").isEqualTo(QueryLimiter.Limit.USER_RATE));
    }

    private static boolean closed(QueryLimiter.Permit permit) {
        permit.close();
        return true;
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
        RedisStore closedStore = REDIS.store(RedisSettings.FailurePolicy.CLOSED);
        RedisQueryLimiter closed = new RedisQueryLimiter(closedStore, prefix, Duration.ofMinutes(11));
        BotLimits limits = limits(100, 1, null);
        permit(admit("b", "alice", limits)).close();
        permit(closed.admit("b", "bob", limits).block()).close();
        REDIS.server().stop();

        for (int i = 0; i < 3; i++) {
            long start = System.nanoTime();
            assertThat(admit("b", "alice", limits)).isEqualTo(
                    new QueryLimiter.Admission.Admitted(QueryLimiter.Permit.NOTHING_HELD));
            assertThat(closed.admit("b", "bob", limits).block())
                    .isEqualTo(new QueryLimiter.Admission.Unavailable());
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1_000));
        }
        assertThat(REDIS.registry().get("botfleet.shared.counts.errors").tag("operation", "admit").counter()
                .count()).isGreaterThanOrEqualTo(6);

        REDIS.server().start();
        await().atMost(Duration.ofSeconds(5)).until(() -> closed.admit("b", "bob", limits).block()
                instanceof QueryLimiter.Admission.Admitted);
        QueryLimiter.Permit counted = permit(admit("b", "alice", limits));
        assertThat(refusal(admit("b", "alice", limits))).as("counting again once Redis is back")
                .isEqualTo(QueryLimiter.Limit.USER_CONCURRENCY);
        counted.close();
    }
}
