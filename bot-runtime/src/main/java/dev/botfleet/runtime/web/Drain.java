package dev.botfleet.runtime.web;

import dev.botfleet.handler.poe.PoeEvent;
import dev.botfleet.runtime.poe.UserError;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stops the runtime without cutting answers short. When the application context closes (SIGTERM), before the web
 * server stops listening, readiness has already gone false and new queries are answered with an error that allows a
 * retry (which Poe's client sends again, and the Service to another replica); the answers still open may finish
 * within the drain timeout, and those that have not by then end with a retryable Poe {@code error}.
 *
 * <p>The stop is asynchronous: no thread waits, the context is told when the last answer has ended, and
 * {@link #shutdownPhaseTimeout} is how long the context must be willing to wait for that.
 */
public final class Drain implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(Drain.class);
    /** How long answers ended at the deadline get to write their last events. */
    static final Duration FLUSH = Duration.ofSeconds(2);

    private final Duration timeout;
    private final Scheduler timer;
    private final AtomicInteger open = new AtomicInteger();
    private final Sinks.One<Boolean> deadline = Sinks.one();
    private final Sinks.Empty<Void> noneOpen = Sinks.empty();
    private volatile boolean draining;
    private volatile boolean deadlinePassed;
    private volatile boolean running;

    /** @param timer where the drain timeout is counted */
    public Drain(Duration timeout, Scheduler timer, MeterRegistry registry) {
        this.timeout = timeout;
        this.timer = timer;
        Gauge.builder("botfleet.streams.open", open, AtomicInteger::get)
                .description("Answers being streamed").register(registry);
    }

    /** Whether the runtime is shutting down and takes no new queries. */
    public boolean draining() {
        return draining;
    }

    /** The longest a drain takes: the drain timeout, then the time to write the last events. */
    public Duration shutdownPhaseTimeout() {
        return timeout.plus(FLUSH);
    }

    /**
     * The answer, counted while open, and ended with a retryable error in the user's language if it is still open at
     * the deadline.
     */
    public Flux<PoeEvent> track(Flux<PoeEvent> answer, String languageCode) {
        return Flux.defer(() -> {
            open.incrementAndGet();
            return answer.takeUntilOther(deadline.asMono())
                    .concatWith(Mono.fromSupplier(() -> deadlinePassed
                            ? UserError.SERVER_RESTARTING.in(languageCode) : null))
                    .doFinally(signal -> {
                        if (open.decrementAndGet() == 0 && draining) {
                            noneOpen.tryEmitEmpty();
                        }
                    });
        });
    }

    @Override
    public void start() {
        running = true;
    }

    /** Drains, and runs {@code stopped} once no answer is open, or the deadline and the flush after it have passed. */
    @Override
    public void stop(Runnable stopped) {
        draining = true;
        int answers = open.get();
        if (answers == 0) {
            noneOpen.tryEmitEmpty();
        } else {
            log.info("draining: {} answer(s) open, waiting up to {}", answers, timeout);
        }
        noneOpen.asMono()
                .timeout(timeout, Mono.defer(() -> {
                    log.warn("draining: {} answer(s) still open after {}, ending them with a retryable error",
                            open.get(), timeout);
                    deadlinePassed = true;
                    deadline.tryEmitValue(Boolean.TRUE);
                    return noneOpen.asMono().timeout(FLUSH, Mono.empty(), timer);
                }), timer)
                .doFinally(signal -> {
                    running = false;
                    stopped.run();
                })
                .subscribe();
    }

    @Override
    public void stop() {
        CountDownLatch stopped = new CountDownLatch(1);
        stop(stopped::countDown);
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops first: before the web server's graceful shutdown stops accepting connections. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE;
    }
}
