package dev.botfleet.runtime.redis;

import java.time.Duration;

/**
 * Where the group's shared counts are kept ({@code botfleet.redis.*}); none when {@code url} is not set, and each
 * replica counts on its own.
 *
 * @param url       {@code redis://host:port} or {@code rediss://} for TLS, Redis or Valkey, optionally with a user
 *                  and database ({@code redis://user@host:port/2})
 * @param password  the password (or the user's); from the environment ({@code BOTFLEET_REDIS_PASSWORD}), which the
 *                  operator fills from a Secret
 * @param timeout   longest wait for one call, connecting included; well under Poe's 5 s to the first byte
 * @param onFailure what a query meets while Redis cannot be reached in time: {@code open} admits it, uncounted;
 *                  {@code closed} refuses it with an error that allows a retry
 * @param keyPrefix the start of every key, so that groups and namespaces sharing one Redis count apart
 */
public record RedisSettings(String url, String password, Duration timeout, FailurePolicy onFailure,
                            String keyPrefix) {

    public static final RedisSettings NONE = new RedisSettings(null, null, null, null, null);

    /** What a query meets while Redis cannot be reached. */
    public enum FailurePolicy {
        OPEN, CLOSED
    }

    public RedisSettings {
        timeout = timeout == null ? Duration.ofMillis(500) : timeout;
        onFailure = onFailure == null ? FailurePolicy.OPEN : onFailure;
        keyPrefix = keyPrefix == null || keyPrefix.isBlank() ? "botfleet" : keyPrefix;
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("botfleet.redis.timeout must be positive, not " + timeout);
        }
    }

    public boolean configured() {
        return url != null && !url.isBlank();
    }
}
