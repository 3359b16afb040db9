package dev.botfleet.runtime.limits;

import dev.botfleet.api.BotLimits;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What every {@link QueryLimiter} does, on one replica or shared by many. */
public abstract class QueryLimiterContract {

    protected abstract QueryLimiter limiter();

    public static BotLimits limits(Integer perMinute, Integer perUser, Integer perBot) {
        BotLimits limits = new BotLimits();
        limits.setRequestsPerMinutePerUser(perMinute);
        limits.setConcurrentAnswersPerUser(perUser);
        limits.setConcurrentAnswers(perBot);
        return limits;
    }

    protected QueryLimiter.Admission admit(String bot, String user, BotLimits limits) {
        return limiter().admit(bot, user, limits).block();
    }

    protected static QueryLimiter.Permit permit(QueryLimiter.Admission admission) {
        assertThat(admission).isInstanceOf(QueryLimiter.Admission.Admitted.class);
        return ((QueryLimiter.Admission.Admitted) admission).permit();
    }

    protected static QueryLimiter.Limit refusal(QueryLimiter.Admission admission) {
        assertThat(admission).isInstanceOf(QueryLimiter.Admission.Refused.class);
        return ((QueryLimiter.Admission.Refused) admission).limit();
    }

    @Test
    void eachUserHasTheirOwnRate() {
        BotLimits limits = limits(2, null, null);
        permit(admit("b", "alice", limits)).close();
        permit(admit("b", "alice", limits)).close();

        assertThat(refusal(admit("b", "alice", limits))).isEqualTo(QueryLimiter.Limit.USER_RATE);
        permit(admit("b", "bob", limits));
        permit(admit("other-bot", "alice", limits));
        assertThat(refusal(admit("b", "alice", limits(2, null, null))))
                .as("the same limit keeps the same bucket").isEqualTo(QueryLimiter.Limit.USER_RATE);
        permit(admit("b", "alice", limits(5, null, null)));
    }

    @Test
    void concurrentAnswersAreHeldUntilTheirPermitIsClosed() {
        BotLimits limits = limits(null, 1, 2);
        QueryLimiter.Permit alice = permit(admit("b", "alice", limits));

        assertThat(refusal(admit("b", "alice", limits))).isEqualTo(QueryLimiter.Limit.USER_CONCURRENCY);
        QueryLimiter.Permit bob = permit(admit("b", "bob", limits));
        assertThat(refusal(admit("b", "carol", limits))).isEqualTo(QueryLimiter.Limit.BOT_CONCURRENCY);

        alice.close();
        alice.close();
        permit(admit("b", "carol", limits));
        assertThat(refusal(admit("b", "dave", limits)))
                .as("closing a permit twice frees one place only").isEqualTo(QueryLimiter.Limit.BOT_CONCURRENCY);
        bob.close();
        permit(admit("b", "alice", limits));
    }

    @Test
    void aRefusalHoldsNothing() {
        BotLimits limits = limits(1, 5, 5);
        permit(admit("b", "alice", limits)).close();
        for (int i = 0; i < 10; i++) {
            assertThat(refusal(admit("b", "alice", limits))).isEqualTo(QueryLimiter.Limit.USER_RATE);
        }
        for (int i = 0; i < 5; i++) {
            permit(admit("b", "user-" + i, limits));
        }
        assertThat(refusal(admit("b", "user-5", limits))).isEqualTo(QueryLimiter.Limit.BOT_CONCURRENCY);
    }
}
