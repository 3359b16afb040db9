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

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stops the runtime without cutting answers short. When the application context closes (SIGTERM), before the web
 * server stops listening, readiness has already gone false and new queries are answered with an error that allows a
 * retry (which Poe's client sends again, and the Service to another replica); the answers still open may finish
 * within the drain timeout, and those that have not by then end with a retryable Poe {@code error}.
 */
public final class Drain implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(Drain.class);
    /** How long answers ended at the deadline get to write their last events. */
    private static final Duration FLUSH = Duration.ofSeconds(2);
    private static final Duration POLL = Duration.ofMillis(50);

    private final Duration timeout;
    private final AtomicInteger open = new AtomicInteger();
    private final Sinks.One<Boolean> deadline = Sinks.one();
    private volatile boolean draining;
    private volatile boolean deadlinePassed;
    private volatile boolean running;

    public Drain(Duration timeout, MeterRegistry registry) {
        this.timeout = timeout;
        Gauge.builder("botfleet.streams.open", open, AtomicInteger::get)
                .description("Answers being streamed").register(registry);
    }

    /** Whether the runtime is shutting down and takes no new queries. */
    public boolean draining() {
        return draining;
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
                    .doFinally(signal -> open.decrementAndGet());
        });
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        draining = true;
        if (open.get() > 0) {
            log.info("draining: {} answer(s) open, waiting up to {}", open.get(), timeout);
            if (!awaitNoneOpen(timeout)) {
                log.warn("draining: {} answer(s) still open after {}, ending them with a retryable error",
                        open.get(), timeout);
                deadlinePassed = true;
                deadline.tryEmitValue(Boolean.TRUE);
                awaitNoneOpen(FLUSH);
            }
        }
        running = false;
    }

    private boolean awaitNoneOpen(Duration limit) {
        long end = System.nanoTime() + limit.toNanos();
        while (open.get() > 0 && System.nanoTime() < end) {
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return open.get() == 0;
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
