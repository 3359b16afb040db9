package dev.botfleet.runtime.llm;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The wait before a retry: exponential from {@code initial}, at most {@code max}, with jitter over its upper half;
 * a provider's Retry-After wins when it is longer.
 */
public record Backoff(Duration initial, Duration max) {

    Duration before(int retry, Optional<Duration> retryAfter) {
        long exponential = Math.min(max.toMillis(), initial.toMillis() << Math.min(retry, 20));
        long jittered = exponential / 2 + ThreadLocalRandom.current().nextLong(exponential / 2 + 1);
        return retryAfter.filter(after -> after.toMillis() > jittered).orElse(Duration.ofMillis(jittered));
    }
}
