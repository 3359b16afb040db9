package dev.botfleet.runtime.budgets;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.botfleet.api.BotBudgets;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What each bot and each (bot, user) has spent in the current day and minute, on this replica. A query is admitted
 * while every budget it falls under has something left, and what its answer may use is counted at once, so that
 * answers started together see each other; when the answer ends the count is corrected to what it used. Counts are
 * forgotten a minute after their period ends, and at most {@code maxTrackedCounts} are kept: a million distinct users
 * cannot exhaust memory (an evicted user's count starts again at zero).
 */
public final class BudgetCounts {

    /** What an answer spends, in tokens and in usd_milli_cents. */
    public record Spend(long tokens, long usdMilliCents) {

        long of(Budget budget) {
            return budget.money() ? usdMilliCents : tokens;
        }

        Spend minus(Spend other) {
            return new Spend(tokens - other.tokens, usdMilliCents - other.usdMilliCents);
        }
    }

    /** Names one count: a budget of a bot (user null) or of one of its users, in one period. */
    private record Key(String bot, String user, Budget budget, Instant periodStart) {
    }

    private final Cache<Key, AtomicLong> counts;

    public BudgetCounts(long maxTrackedCounts) {
        this.counts = Caffeine.newBuilder().maximumSize(maxTrackedCounts)
                .expireAfter(Expiry.creating((Key key, AtomicLong count) -> key.budget().kept())).build();
    }

    /**
     * Counts {@code estimate} against every budget of {@code budgets} that the query falls under, unless one of
     * them is spent already: then nothing is counted and the first spent budget is the refusal.
     */
    public synchronized Admission reserve(String bot, String user, BotBudgets budgets, Spend estimate, Instant now) {
        List<Held> held = new ArrayList<>();
        for (Budget budget : Budget.values()) {
            Long limit = budget.limit(budgets);
            if (limit == null) {
                continue;
            }
            Key key = new Key(bot, budget.perUser() ? user : null, budget, budget.periodStart(now));
            AtomicLong count = counts.get(key, k -> new AtomicLong());
            if (count.get() >= limit) {
                return new Admission.Refused(budget, budget.untilReset(now));
            }
            held.add(new Held(key, count));
        }
        held.forEach(h -> h.count().addAndGet(estimate.of(h.key().budget())));
        return new Admission.Admitted(new Reservation(held, estimate));
    }

    /** What remains of a bot's own (not per-user) budget in the period of {@code now}. */
    public long remaining(String bot, Budget budget, long limit, Instant now) {
        AtomicLong count = counts.getIfPresent(new Key(bot, null, budget, budget.periodStart(now)));
        return Math.max(0, limit - (count == null ? 0 : count.get()));
    }

    private record Held(Key key, AtomicLong count) {
    }

    /** An admitted answer's estimate, counted in the periods it was admitted in. */
    public static final class Reservation {

        private final List<Held> held;
        private final Spend estimate;
        private boolean settled;

        private Reservation(List<Held> held, Spend estimate) {
            this.held = held;
            this.estimate = estimate;
        }

        /** Corrects the counts from the estimate to what the answer used, once: false for every later call. */
        public synchronized boolean settle(Spend used) {
            if (settled) {
                return false;
            }
            settled = true;
            Spend correction = used.minus(estimate);
            held.forEach(h -> h.count().addAndGet(correction.of(h.key().budget())));
            return true;
        }
    }

    /** A reservation, or the budget that is spent and how long until it resets. */
    public sealed interface Admission {

        record Admitted(Reservation reservation) implements Admission {
        }

        record Refused(Budget budget, Duration untilReset) implements Admission {
        }
    }
}
