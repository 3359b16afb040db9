package dev.botfleet.operator;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Spaces out the rewrites of each runtime group's ConfigMap. Every bot reconcile renders its whole group, so without
 * pacing a burst of N new bots rewrites a growing ConfigMap N times; with it, the bots that arrive within one
 * interval are written together by whichever reconcile comes first after it.
 */
final class GroupWritePacer {

    private final long intervalNanos;
    private final Map<String, Long> lastWrites = new ConcurrentHashMap<>();

    GroupWritePacer(Duration interval) {
        this.intervalNanos = interval.toNanos();
    }

    /** How long to wait before the group may be written again; empty when it may be written now. */
    Optional<Duration> wait(String groupKey) {
        Long last = lastWrites.get(groupKey);
        if (last == null) {
            return Optional.empty();
        }
        long remaining = intervalNanos - (System.nanoTime() - last);
        return remaining > 0 ? Optional.of(Duration.ofNanos(remaining)) : Optional.empty();
    }

    void wrote(String groupKey) {
        lastWrites.put(groupKey, System.nanoTime());
    }

    void forget(String groupKey) {
        lastWrites.remove(groupKey);
    }
}
