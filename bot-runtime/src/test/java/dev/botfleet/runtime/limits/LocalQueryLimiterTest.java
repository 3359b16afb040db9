package dev.botfleet.runtime.limits;

import dev.botfleet.api.BotLimits;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LocalQueryLimiterTest extends QueryLimiterContract {

    private final LocalQueryLimiter limiter = new LocalQueryLimiter(10_000);

    @Override
    protected QueryLimiter limiter() {
        return limiter;
    }

    @Test
    void aMillionDistinctUsersDoNotGrowTheRateTableBeyondItsBound() {
        BotLimits limits = limits(10, 1, null);
        for (int i = 0; i < 1_000_000; i++) {
            permit(admit("public-bot", "user-" + i, limits)).close();
        }
        assertThat(limiter.trackedUsers()).isLessThanOrEqualTo(10_000);
    }
}
