package dev.botfleet.runtime.redis;

import dev.botfleet.api.BotBudgets;
import dev.botfleet.runtime.budgets.Budget;
import dev.botfleet.runtime.budgets.BudgetCounts;
import io.lettuce.core.ScriptOutputType;
import reactor.core.publisher.Mono;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Counts each bot's {@code spec.budgets} for every replica of the group: one script call admits a query and counts
 * its estimate against all its budgets at once, another corrects them when its answer ends. Counts expire a minute
 * after their period.
 */
public final class RedisBudgetCounts implements BudgetCounts {

    /** A reservation made while Redis could not be reached, by a group that fails open: nothing to correct. */
    private static final Reservation UNCOUNTED = used -> Mono.empty();

    private final RedisStore store;
    private final RedisKeys keys;
    /** What a query meets while Redis cannot be reached: the group's policy. */
    private final Admission whenUnreachable;

    public RedisBudgetCounts(RedisStore store, String keyPrefix) {
        this.store = store;
        this.keys = new RedisKeys(keyPrefix);
        this.whenUnreachable = store.failsOpen() ? new Admission.Admitted(UNCOUNTED) : new Admission.Unavailable();
    }

    @Override
    public Mono<Admission> reserve(String bot, String user, BotBudgets budgets, Spend estimate, Instant now) {
        List<Count> counts = new ArrayList<>();
        List<String> args = new ArrayList<>();
        for (Budget budget : Budget.values()) {
            Long limit = budget.limit(budgets);
            if (limit != null) {
                counts.add(new Count(budget, keys.budget(bot, budget.perUser() ? user : null, budget,
                        budget.periodStart(now))));
                args.add(String.valueOf(limit));
                args.add(String.valueOf(estimate.of(budget)));
                args.add(String.valueOf(budget.kept().toMillis()));
            }
        }
        if (counts.isEmpty()) {
            return Mono.just(new Admission.Admitted(UNCOUNTED));
        }
        return store.<Long>run("reserve", RedisScript.RESERVE, ScriptOutputType.INTEGER, keysOf(counts),
                        args.toArray(String[]::new))
                .next()
                .<Admission>map(code -> {
                    if (code == 0) {
                        return new Admission.Admitted(new RedisReservation(counts, estimate));
                    }
                    Budget spent = counts.get(code.intValue() - 1).budget();
                    return new Admission.Refused(spent, spent.untilReset(now));
                })
                .onErrorReturn(whenUnreachable);
    }

    private static String[] keysOf(List<Count> counts) {
        return counts.stream().map(Count::key).toArray(String[]::new);
    }

    private record Count(Budget budget, String key) {
    }

    private final class RedisReservation implements Reservation {

        private final List<Count> counts;
        private final Spend estimate;
        private final AtomicBoolean settled = new AtomicBoolean();

        private RedisReservation(List<Count> counts, Spend estimate) {
            this.counts = counts;
            this.estimate = estimate;
        }

        @Override
        public Mono<Map<Budget, Long>> settle(Spend used) {
            if (!settled.compareAndSet(false, true)) {
                return Mono.empty();
            }
            Spend correction = used.minus(estimate);
            List<String> args = new ArrayList<>();
            for (Count count : counts) {
                args.add(String.valueOf(correction.of(count.budget())));
                args.add(String.valueOf(count.budget().kept().toMillis()));
            }
            return store.<List<Long>>run("settle", RedisScript.SETTLE, ScriptOutputType.MULTI, keysOf(counts),
                            args.toArray(String[]::new))
                    .next()
                    .map(after -> {
                        Map<Budget, Long> botCounts = new EnumMap<>(Budget.class);
                        for (int i = 0; i < counts.size(); i++) {
                            if (!counts.get(i).budget().perUser()) {
                                botCounts.put(counts.get(i).budget(), after.get(i));
                            }
                        }
                        return botCounts;
                    })
                    .onErrorResume(failureCountedByTheStore -> Mono.empty());
        }
    }
}
