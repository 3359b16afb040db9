package dev.botfleet.operator.reconcile;

import io.javaoperatorsdk.operator.processing.event.rate.RateLimiter;

import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * At most one reconcile of a runtime group per interval, the next one as soon as the interval is over; the operator
 * SDK folds the events that arrive meanwhile into it. (The SDK's {@code LinearRateLimiter} of this version answers
 * with the time since the interval began instead of the time left, so a limited group is looked at again and again
 * and written up to an interval late.)
 */
public final class GroupWriteInterval implements RateLimiter<GroupWriteInterval.LastStart> {

    /** When the group's last reconcile was let through, on the {@link System#nanoTime} clock; per group. */
    static final class LastStart implements RateLimitState {
        private Long nanos;
    }

    private final long intervalNanos;
    private final LongSupplier clock;

    public GroupWriteInterval(Duration interval) {
        this(interval, System::nanoTime);
    }

    GroupWriteInterval(Duration interval, LongSupplier clock) {
        this.intervalNanos = interval.toNanos();
        this.clock = clock;
    }

    @Override
    public Optional<Duration> isLimited(RateLimitState state) {
        LastStart last = (LastStart) state;
        long now = clock.getAsLong();
        if (last.nanos != null) {
            long remaining = intervalNanos - (now - last.nanos);
            if (remaining > 0) {
                return Optional.of(Duration.ofNanos(remaining));
            }
        }
        last.nanos = now;
        return Optional.empty();
    }

    @Override
    public LastStart initState() {
        return new LastStart();
    }
}
