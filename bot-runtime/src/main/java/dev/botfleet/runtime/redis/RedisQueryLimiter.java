package dev.botfleet.runtime.redis;

import dev.botfleet.api.BotLimits;
import dev.botfleet.runtime.limits.QueryLimiter;
import io.lettuce.core.ScriptOutputType;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Keeps each bot's {@link BotLimits} for every replica of the group, in one script call per query and one per
 * answer's end. An answer holds a slot for at most its lease, so the slots of a replica that died are freed by then.
 */
public final class RedisQueryLimiter implements QueryLimiter {

    /** By the script's result codes, from 1. */
    private static final Limit[] REFUSALS = {Limit.BOT_CONCURRENCY, Limit.USER_CONCURRENCY, Limit.USER_RATE};

    private final RedisStore store;
    private final RedisKeys keys;
    private final String leaseMillis;
    /** What a query meets while Redis cannot be reached: the group's policy. */
    private final Admission whenUnreachable;

    /** {@code lease}: longer than any answer may run. */
    public RedisQueryLimiter(RedisStore store, String keyPrefix, Duration lease) {
        this.store = store;
        this.keys = new RedisKeys(keyPrefix);
        this.leaseMillis = String.valueOf(lease.toMillis());
        this.whenUnreachable = store.failsOpen() ? new Admission.Admitted(Permit.NOTHING_HELD)
                : new Admission.Unavailable();
    }

    @Override
    public Mono<Admission> admit(String bot, String user, BotLimits limits) {
        int perMinute = orNone(limits.getRequestsPerMinutePerUser());
        String[] answers = {keys.botAnswers(bot), keys.userAnswers(bot, user)};
        String slot = UUID.randomUUID().toString();
        return store.<Long>run("admit", RedisScript.ADMIT, ScriptOutputType.INTEGER,
                        new String[]{answers[0], answers[1], keys.userRate(bot, user, perMinute)}, slot, leaseMillis,
                        String.valueOf(orNone(limits.getConcurrentAnswers())),
                        String.valueOf(orNone(limits.getConcurrentAnswersPerUser())), String.valueOf(perMinute))
                .next()
                .<Admission>map(code -> code == 0 ? new Admission.Admitted(release(answers, slot))
                        : new Admission.Refused(REFUSALS[code.intValue() - 1]))
                .onErrorReturn(whenUnreachable);
    }

    /** Released in the background: the answer has ended, and a release that fails is made good by the lease. */
    private Permit release(String[] answers, String slot) {
        AtomicBoolean released = new AtomicBoolean();
        return () -> {
            if (released.compareAndSet(false, true)) {
                store.run("release", RedisScript.RELEASE, ScriptOutputType.INTEGER, answers, slot)
                        .subscribe(ignored -> { }, failureCountedByTheStore -> { });
            }
        };
    }

    private static int orNone(Integer limit) {
        return limit == null ? 0 : limit;
    }
}
