package dev.botfleet.runtime.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.reactive.RedisReactiveCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The group's Redis (or Valkey): runs this package's scripts there, each call bounded by the timeout, so that a Redis
 * that is slow or gone costs a query at most that long. While Redis cannot be reached every call fails at once:
 * commands are refused rather than queued while the connection is down, Lettuce reconnects every second, and a first
 * connection that failed is tried again at most once a second. Failures are counted by operation and logged once a
 * minute; the {@link RedisSettings.FailurePolicy} says what the callers make of them.
 */
public final class RedisStore implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisStore.class);
    private static final Duration RECONNECT_INTERVAL = Duration.ofSeconds(1);
    private static final long LOG_INTERVAL_NANOS = Duration.ofMinutes(1).toNanos();

    private final ClientResources resources;
    private final RedisClient client;
    private final RedisURI uri;
    private final Duration timeout;
    private final RedisSettings.FailurePolicy policy;
    private final MeterRegistry registry;
    private final AtomicLong failuresSinceLog = new AtomicLong();
    private volatile long nextLogNanos = System.nanoTime();
    private volatile StatefulRedisConnection<String, String> connection;
    private Mono<RedisReactiveCommands<String, String>> connecting;
    private long nextConnectNanos = System.nanoTime();

    public RedisStore(RedisSettings settings, MeterRegistry registry) {
        this.uri = RedisURI.create(settings.url());
        if (settings.password() != null && !settings.password().isEmpty()) {
            uri.setPassword(settings.password().toCharArray());
        }
        uri.setTimeout(settings.timeout());
        this.timeout = settings.timeout();
        this.policy = settings.onFailure();
        this.registry = registry;
        this.resources = ClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2)
                .reconnectDelay(Delay.constant(RECONNECT_INTERVAL)).build();
        this.client = RedisClient.create(resources);
        client.setOptions(ClientOptions.builder()
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder().connectTimeout(timeout).build())
                .timeoutOptions(TimeoutOptions.enabled(timeout)).build());
    }

    /**
     * Connects and loads the scripts, waiting for it at most {@code patience}: the first queries should not pay for
     * the connection, the scripts and the classes they load, and fail the timeout. A Redis not reachable yet is
     * connected to later, on demand.
     */
    public RedisStore connected(Duration patience) {
        try {
            connect().flatMapMany(redis -> Flux.fromIterable(RedisScript.ALL).concatMap(script ->
                    redis.scriptLoad(script.text()))).then().block(patience);
        } catch (RuntimeException notYet) {
            log.warn("Redis at {}:{} cannot be reached yet ({}); queries are {} until it can", uri.getHost(),
                    uri.getPort(), notYet.toString(), failsOpen() ? "admitted uncounted" : "refused");
        }
        return this;
    }

    /** Whether callers admit queries uncounted while Redis cannot be reached. */
    public boolean failsOpen() {
        return policy == RedisSettings.FailurePolicy.OPEN;
    }

    /**
     * Runs {@code script}; fails within the timeout, counted and logged, when Redis does not answer. Its result is
     * published on another thread than the connection's: what the caller does with it (start an answer) must not
     * hold up the replies to other calls on the one connection, and make them miss the timeout.
     */
    <T> Flux<T> run(String operation, RedisScript script, ScriptOutputType type, String[] keys, String... args) {
        return commands()
                .flatMapMany(redis -> redis.<T>evalsha(script.sha1(), type, keys, args)
                        .onErrorResume(RedisStore::unknownScript, unknown -> redis.eval(script.text(), type, keys,
                                args)))
                .timeout(timeout)
                .doOnError(failure -> failed(operation, failure))
                .publishOn(Schedulers.parallel());
    }

    /** Redis forgets its scripts when it restarts; the first call after that sends the script itself. */
    private static boolean unknownScript(Throwable failure) {
        return failure instanceof RedisCommandExecutionException && failure.getMessage() != null
                && failure.getMessage().startsWith("NOSCRIPT");
    }

    private Mono<RedisReactiveCommands<String, String>> commands() {
        StatefulRedisConnection<String, String> open = connection;
        return open != null ? Mono.just(open.reactive()) : Mono.defer(this::connect);
    }

    private synchronized Mono<RedisReactiveCommands<String, String>> connect() {
        if (connection != null) {
            return Mono.just(connection.reactive());
        }
        if (connecting != null) {
            return connecting;
        }
        long now = System.nanoTime();
        if (now - nextConnectNanos < 0) {
            return Mono.error(new RedisConnectionException("not connected to Redis; trying again within a second"));
        }
        nextConnectNanos = now + RECONNECT_INTERVAL.toNanos();
        connecting = Mono.fromCompletionStage(() -> client.connectAsync(StringCodec.UTF8, uri))
                .doOnNext(opened -> connection = opened)
                .doFinally(signal -> attemptEnded())
                .map(StatefulRedisConnection::reactive)
                .cache();
        return connecting;
    }

    private synchronized void attemptEnded() {
        connecting = null;
    }

    private void failed(String operation, Throwable failure) {
        Counter.builder("botfleet.shared.counts.errors")
                .description("Calls to the group's Redis that failed or timed out, by operation")
                .tag("operation", operation).register(registry).increment();
        long failures = failuresSinceLog.incrementAndGet();
        long now = System.nanoTime();
        long due = nextLogNanos;
        if (now - due >= 0 && failuresSinceLog.compareAndSet(failures, 0)) {
            nextLogNanos = now + LOG_INTERVAL_NANOS;
            log.warn("Redis at {}:{} failed {} call(s) in the last minute, the latest ({}) with: {}; queries are {}",
                    uri.getHost(), uri.getPort(), failures, operation, failure.toString(),
                    failsOpen() ? "admitted uncounted (fail open)" : "refused (fail closed)");
        }
    }

    @Override
    public void close() {
        StatefulRedisConnection<String, String> open = connection;
        if (open != null) {
            open.close();
        }
        client.shutdown();
        resources.shutdown();
    }
}
