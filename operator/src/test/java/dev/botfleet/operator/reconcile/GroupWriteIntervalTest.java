package dev.botfleet.operator.reconcile;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class GroupWriteIntervalTest {

    private final AtomicLong now = new AtomicLong(5_000_000_000L);
    private final GroupWriteInterval limiter = new GroupWriteInterval(Duration.ofSeconds(1), now::get);

    @Test
    void aQuietGroupIsReconciledAtOnceAndTheNextWaitsForWhatIsLeftOfTheInterval() {
        GroupWriteInterval.LastStart group = limiter.initState();
        assertThat(limiter.isLimited(group)).isEmpty();

        now.addAndGet(Duration.ofMillis(300).toNanos());
        assertThat(limiter.isLimited(group)).contains(Duration.ofMillis(700));
        now.addAndGet(Duration.ofMillis(699).toNanos());
        assertThat(limiter.isLimited(group)).contains(Duration.ofMillis(1));

        now.addAndGet(Duration.ofMillis(1).toNanos());
        assertThat(limiter.isLimited(group)).as("the interval is over").isEmpty();
        assertThat(limiter.isLimited(group)).as("and a new one began").contains(Duration.ofSeconds(1));
    }

    @Test
    void eachGroupHasItsOwnInterval() {
        GroupWriteInterval.LastStart web = limiter.initState();
        GroupWriteInterval.LastStart side = limiter.initState();
        assertThat(limiter.isLimited(web)).isEmpty();
        assertThat(limiter.isLimited(side)).isEmpty();
        assertThat(limiter.isLimited(web)).isPresent();
    }
}
