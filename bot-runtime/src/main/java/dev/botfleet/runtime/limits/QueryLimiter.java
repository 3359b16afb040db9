package dev.botfleet.runtime.limits;

import dev.botfleet.api.BotLimits;
import reactor.core.publisher.Mono;

/**
 * Keeps each bot's {@link BotLimits}: answers at once per bot and per (bot, user), queries per minute per (bot, user).
 * {@link LocalQueryLimiter} counts on this replica; a group given Redis counts for all its replicas at once.
 */
public interface QueryLimiter {

    /** Which limit refused a query, as the metric names it. */
    enum Limit {
        BOT_CONCURRENCY("concurrent_answers"),
        USER_CONCURRENCY("concurrent_answers_per_user"),
        USER_RATE("requests_per_minute_per_user");

        private final String tag;

        Limit(String tag) {
            this.tag = tag;
        }

        public String tag() {
            return tag;
        }
    }

    /** An admitted query's hold on the counts; released when its answer ends. */
    interface Permit extends AutoCloseable {

        Permit NOTHING_HELD = () -> { };

        @Override
        void close();
    }

    /** A permit for one answer, or why there is none; nothing is held for a refused query. */
    Mono<Admission> admit(String bot, String user, BotLimits limits);

    /** A permit for the answer, the limit that refused the query, or counts that could not be reached. */
    sealed interface Admission {

        record Admitted(Permit permit) implements Admission {
        }

        record Refused(Limit limit) implements Admission {
        }

        /** The shared counts could not be asked and the group fails closed. */
        record Unavailable() implements Admission {
        }
    }
}
