package dev.botfleet.runtime.budgets;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.botfleet.api.BotBudgets;
import reactor.core.publisher.Mono;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@link BudgetCounts} of this replica. Counts are forgotten a minute after their period ends, and at most
 * {@code maxTrackedCounts} are kept: a million distinct users cannot exhaust memory (an evicted user's count starts
 * again at zero).
 */
public final class LocalBudgetCounts implements BudgetCounts {

    /** Names one count: a budget of a bot (user null) or of one of its users, in one period. */
    private record Key(String bot, String user, Budget budget, Instant periodStart) {
    }

    private final Cache<Key, AtomicLong> counts;

    public LocalBudgetCounts(long maxTrackedCounts) {
        this.counts = Caffeine.newBuilder().maximumSize(maxTrackedCounts)
                .expireAfter(Expiry.creating((Key key, AtomicLong count) -> key.budget().kept())).build();
    }

    @Override
    public Mono<Admission> reserve(String bot, String user, BotBudgets budgets, Spend estimate, Instant now) {
        return Mono.fromSupplier(() -> reserved(bot, user, budgets, estimate, now));
    }

    private synchronized Admission reserved(String bot, String user, BotBudgets budgets, Spend estimate,
                                            Instant now) {
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
        return new Admission.Admitted(new LocalReservation(held, estimate));
    }

    private record Held(Key key, AtomicLong count) {
    }

    private static final class LocalReservation implements Reservation {

        private final List<Held> held;
        private final Spend estimate;
        private boolean settled;

        private LocalReservation(List<Held> held, Spend estimate) {
            this.held = held;
            this.estimate = estimate;
        }

        @Override
        public Mono<Map<Budget, Long>> settle(Spend used) {
            return Mono.fromSupplier(() -> settled(used));
        }

        private synchronized Map<Budget, Long> settled(Spend used) {
            if (settled) {
                return null;
            }
            settled = true;
            Spend correction = used.minus(estimate);
            Map<Budget, Long> botCounts = new EnumMap<>(Budget.class);
            for (Held h : held) {
                long count = h.count().addAndGet(correction.of(h.key().budget()));
                if (h.key().user() == null) {
                    botCounts.put(h.key().budget(), count);
                }
            }
            return botCounts;
        }
    }
}
