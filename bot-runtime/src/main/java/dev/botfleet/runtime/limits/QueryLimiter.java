package dev.botfleet.runtime.limits;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.botfleet.api.BotLimits;
import io.github.bucket4j.Bucket;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps each bot's {@link BotLimits} on this replica. Answers at once are counted per bot and per (bot, user) while
 * they stream, so those counts hold only users with an answer open. Queries per minute are a token bucket per
 * (bot, user) in a cache bounded in size and forgetting a user a minute after their last query: a million distinct
 * users cost at most {@code maxTrackedUsers} buckets.
 */
public final class QueryLimiter {

    /** Which limit refused a query, as the metric names it. */
    public enum Limit {
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
    public interface Permit extends AutoCloseable {
        @Override
        void close();
    }

    private record UserKey(String bot, String user) {
    }

    /** The rate is part of the key: a changed limit starts with a full bucket instead of the old one. */
    private record RateKey(String bot, String user, int perMinute) {
    }

    private static final Permit NOTHING_HELD = () -> { };

    private final Map<String, Integer> botAnswers = new ConcurrentHashMap<>();
    private final Map<UserKey, Integer> userAnswers = new ConcurrentHashMap<>();
    private final Cache<RateKey, Bucket> rates;

    public QueryLimiter(long maxTrackedUsers) {
        this.rates = Caffeine.newBuilder().maximumSize(maxTrackedUsers).expireAfterAccess(Duration.ofMinutes(1))
                .build();
    }

    /** A permit for one answer, or the limit that refuses it; nothing is held for a refused query. */
    public Admission admit(String bot, String user, BotLimits limits) {
        if (limits == null) {
            return new Admission.Admitted(NOTHING_HELD);
        }
        if (!take(botAnswers, bot, limits.getConcurrentAnswers())) {
            return new Admission.Refused(Limit.BOT_CONCURRENCY);
        }
        UserKey key = new UserKey(bot, user);
        if (!take(userAnswers, key, limits.getConcurrentAnswersPerUser())) {
            give(botAnswers, bot);
            return new Admission.Refused(Limit.USER_CONCURRENCY);
        }
        Integer perMinute = limits.getRequestsPerMinutePerUser();
        if (perMinute != null && !rates.get(new RateKey(bot, user, perMinute), k -> bucket(perMinute)).tryConsume(1)) {
            give(userAnswers, key);
            give(botAnswers, bot);
            return new Admission.Refused(Limit.USER_RATE);
        }
        return new Admission.Admitted(new Permit() {
            private boolean released;

            @Override
            public synchronized void close() {
                if (!released) {
                    released = true;
                    give(userAnswers, key);
                    give(botAnswers, bot);
                }
            }
        });
    }

    /** Users whose query rate is being tracked (for the memory bound's test and a gauge). */
    public long trackedUsers() {
        rates.cleanUp();
        return rates.estimatedSize();
    }

    private static Bucket bucket(int perMinute) {
        return Bucket.builder()
                .addLimit(limit -> limit.capacity(perMinute).refillGreedy(perMinute, Duration.ofMinutes(1)))
                .build();
    }

    /** Counts one more answer under {@code key} unless that passes {@code max} (null: no limit). */
    private static <K> boolean take(Map<K, Integer> counts, K key, Integer max) {
        if (max == null) {
            counts.merge(key, 1, Integer::sum);
            return true;
        }
        boolean[] taken = {false};
        counts.compute(key, (k, count) -> {
            int current = count == null ? 0 : count;
            taken[0] = current < max;
            return taken[0] ? current + 1 : count;
        });
        return taken[0];
    }

    private static <K> void give(Map<K, Integer> counts, K key) {
        counts.computeIfPresent(key, (k, count) -> count == 1 ? null : count - 1);
    }

    /** A permit for the answer, or the limit that refused the query. */
    public sealed interface Admission {

        record Admitted(Permit permit) implements Admission {
        }

        record Refused(Limit limit) implements Admission {
        }
    }
}
