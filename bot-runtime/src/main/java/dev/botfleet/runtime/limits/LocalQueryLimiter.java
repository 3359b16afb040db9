package dev.botfleet.runtime.limits;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.botfleet.api.BotLimits;
import io.github.bucket4j.Bucket;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps each bot's {@link BotLimits} on this replica. Answers at once are counted per bot and per (bot, user) while
 * they stream, so those counts hold only users with an answer open. Queries per minute are a token bucket per
 * (bot, user) in a cache bounded in size and forgetting a user a minute after their last query: a million distinct
 * users cost at most {@code maxTrackedUsers} buckets.
 */
public final class LocalQueryLimiter implements QueryLimiter {

    private record UserKey(String bot, String user) {
    }

    /** The rate is part of the key: a changed limit starts with a full bucket instead of the old one. */
    private record RateKey(String bot, String user, int perMinute) {
    }

    private final Map<String, Integer> botAnswers = new ConcurrentHashMap<>();
    private final Map<UserKey, Integer> userAnswers = new ConcurrentHashMap<>();
    private final Cache<RateKey, Bucket> rates;

    public LocalQueryLimiter(long maxTrackedUsers) {
        this.rates = Caffeine.newBuilder().maximumSize(maxTrackedUsers).expireAfterAccess(Duration.ofMinutes(1))
                .build();
    }

    @Override
    public Mono<Admission> admit(String bot, String user, BotLimits limits) {
        return Mono.fromSupplier(() -> admitted(bot, user, limits));
    }

    private Admission admitted(String bot, String user, BotLimits limits) {
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
}
