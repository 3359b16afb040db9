package dev.botfleet.runtime.limits;

import dev.botfleet.api.BotLimits;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class QueryLimiterTest {

    private final QueryLimiter limiter = new QueryLimiter(10_000);

    private static BotLimits limits(Integer perMinute, Integer perUser, Integer perBot) {
        BotLimits limits = new BotLimits();
        limits.setRequestsPerMinutePerUser(perMinute);
        limits.setConcurrentAnswersPerUser(perUser);
        limits.setConcurrentAnswers(perBot);
        return limits;
    }

    private static QueryLimiter.Permit permit(QueryLimiter.Admission admission) {
        assertThat(admission).isInstanceOf(QueryLimiter.Admission.Admitted.class);
        return ((QueryLimiter.Admission.Admitted) admission).permit();
    }

    private static QueryLimiter.Limit refusal(QueryLimiter.Admission admission) {
        assertThat(admission).isInstanceOf(QueryLimiter.Admission.Refused.class);
        return ((QueryLimiter.Admission.Refused) admission).limit();
    }

    @Test
    void aBotWithoutLimitsIsNeverRefusedAndTracksNobody() {
        for (int i = 0; i < 1000; i++) {
            permit(limiter.admit("free", "u", null));
        }
        assertThat(limiter.trackedUsers()).isZero();
    }

    @Test
    void eachUserHasTheirOwnRate() {
        BotLimits limits = limits(2, null, null);
        permit(limiter.admit("b", "alice", limits)).close();
        permit(limiter.admit("b", "alice", limits)).close();

        assertThat(refusal(limiter.admit("b", "alice", limits))).isEqualTo(QueryLimiter.Limit.USER_RATE);
        permit(limiter.admit("b", "bob", limits));
        permit(limiter.admit("other-bot", "alice", limits));
        assertThat(refusal(limiter.admit("b", "alice", limits(2, null, null))))
                .as("the same limit keeps the same bucket").isEqualTo(QueryLimiter.Limit.USER_RATE);
        permit(limiter.admit("b", "alice", limits(5, null, null)));
    }

    @Test
    void concurrentAnswersAreHeldUntilTheirPermitIsClosed() {
        BotLimits limits = limits(null, 1, 2);
        QueryLimiter.Permit alice = permit(limiter.admit("b", "alice", limits));

        assertThat(refusal(limiter.admit("b", "alice", limits))).isEqualTo(QueryLimiter.Limit.USER_CONCURRENCY);
        QueryLimiter.Permit bob = permit(limiter.admit("b", "bob", limits));
        assertThat(refusal(limiter.admit("b", "carol", limits))).isEqualTo(QueryLimiter.Limit.BOT_CONCURRENCY);

        alice.close();
        alice.close();
        permit(limiter.admit("b", "carol", limits));
        assertThat(refusal(limiter.admit("b", "dave", limits)))
                .as("closing a permit twice frees one place only").isEqualTo(QueryLimiter.Limit.BOT_CONCURRENCY);
        bob.close();
        permit(limiter.admit("b", "alice", limits));
    }

    @Test
    void aRefusalHoldsNothing() {
        BotLimits limits = limits(1, 5, 5);
        permit(limiter.admit("b", "alice", limits)).close();
        for (int i = 0; i < 10; i++) {
            assertThat(refusal(limiter.admit("b", "alice", limits))).isEqualTo(QueryLimiter.Limit.USER_RATE);
        }
        for (int i = 0; i < 5; i++) {
            permit(limiter.admit("b", "user-" + i, limits));
        }
        assertThat(refusal(limiter.admit("b", "user-5", limits))).isEqualTo(QueryLimiter.Limit.BOT_CONCURRENCY);
    }

    @Test
    void aMillionDistinctUsersDoNotGrowTheRateTableBeyondItsBound() {
        QueryLimiter bounded = new QueryLimiter(10_000);
        BotLimits limits = limits(10, 1, null);
        for (int i = 0; i < 1_000_000; i++) {
            ((QueryLimiter.Admission.Admitted) bounded.admit("public-bot", "user-" + i, limits)).permit().close();
        }
        assertThat(bounded.trackedUsers()).isLessThanOrEqualTo(10_000);
    }
}
