package dev.botfleet.runtime.web;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes of request bodies held at once, across all requests: each body may be up to the request size limit,
 * and together they may not pass this budget, so stalled uploads cannot exhaust memory.
 */
public final class BodyBudget {

    private final long limit;
    private final AtomicLong held = new AtomicLong();

    public BodyBudget(long limit, MeterRegistry registry) {
        this.limit = limit;
        Gauge.builder("botfleet.request.body.bytes", held, AtomicLong::get)
                .description("Bytes of request bodies being received").baseUnit("bytes").register(registry);
    }

    /** Takes {@code bytes} from the budget, or nothing and false when they do not fit. */
    boolean take(long bytes) {
        long after = held.addAndGet(bytes);
        if (after > limit) {
            held.addAndGet(-bytes);
            return false;
        }
        return true;
    }

    void give(long bytes) {
        held.addAndGet(-bytes);
    }
}
