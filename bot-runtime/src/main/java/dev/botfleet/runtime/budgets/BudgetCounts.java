package dev.botfleet.runtime.budgets;

import dev.botfleet.api.BotBudgets;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * What each bot and each (bot, user) has spent in the current day and minute. A query is admitted while every budget
 * it falls under has something left, and what its answer may use is counted at once, so that answers started together
 * see each other; when the answer ends the count is corrected to what it used. {@link LocalBudgetCounts} counts on
 * this replica; a group given Redis counts for all its replicas at once.
 */
public interface BudgetCounts {

    /** What an answer spends, in tokens and in usd_milli_cents. */
    record Spend(long tokens, long usdMilliCents) {

        public static final Spend NOTHING = new Spend(0, 0);

        public long of(Budget budget) {
            return budget.money() ? usdMilliCents : tokens;
        }

        public Spend minus(Spend other) {
            return new Spend(tokens - other.tokens, usdMilliCents - other.usdMilliCents);
        }
    }

    /**
     * Counts {@code estimate} against every budget of {@code budgets} that the query falls under, unless one of
     * them is spent already: then nothing is counted and the first spent budget is the refusal.
     */
    Mono<Admission> reserve(String bot, String user, BotBudgets budgets, Spend estimate, Instant now);

    /** An admitted answer's estimate, counted in the periods it was admitted in. */
    interface Reservation {

        /**
         * Corrects the counts from the estimate to what the answer used, once: emits the bot's own (not per-user)
         * counts after the correction, and nothing on every later call or when the counts could not be reached.
         */
        Mono<Map<Budget, Long>> settle(Spend used);
    }

    /** A reservation, the budget that is spent and how long until it resets, or counts that could not be reached. */
    sealed interface Admission {

        record Admitted(Reservation reservation) implements Admission {
        }

        record Refused(Budget budget, Duration untilReset) implements Admission {
        }

        /** The shared counts could not be asked and the group fails closed. */
        record Unavailable() implements Admission {
        }
    }
}
