package dev.botfleet.runtime.web;

import dev.botfleet.handler.poe.PoeEvent;
import dev.botfleet.runtime.poe.UserError;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.SmartLifecycle;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.test.scheduler.VirtualTimeScheduler;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The drain in virtual time: what happens at which instant, exactly. */
class DrainTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    private final Drain drain = new Drain(TIMEOUT, clock, registry);
    private final AtomicInteger stopped = new AtomicInteger();

    @AfterEach
    void disposeClock() {
        clock.dispose();
    }

    private double openStreams() {
        return registry.get("botfleet.streams.open").gauge().value();
    }

    @Test
    void answersAreCountedWhileTheyStream() {
        Sinks.Many<PoeEvent> answer = Sinks.many().unicast().onBackpressureBuffer();
        List<PoeEvent> received = new CopyOnWriteArrayList<>();
        drain.track(answer.asFlux(), "en").subscribe(received::add);
        assertThat(openStreams()).isEqualTo(1);

        answer.tryEmitNext(new PoeEvent.Text("hi"));
        answer.tryEmitComplete();

        assertThat(received).containsExactly(new PoeEvent.Text("hi"));
        assertThat(openStreams()).isZero();
    }

    @Test
    void withNothingOpenTheDrainEndsAtOnceAndRefusesWhatComesAfter() {
        drain.start();
        assertThat(drain.isRunning()).isTrue();
        assertThat(drain.draining()).isFalse();

        drain.stop(stopped::incrementAndGet);

        assertThat(stopped).as("stopped without any time passing").hasValue(1);
        assertThat(drain.draining()).isTrue();
        assertThat(drain.isRunning()).isFalse();
    }

    @Test
    void theDrainEndsWhenTheLastOpenAnswerEndsWithinTheTimeout() {
        Sinks.Many<PoeEvent> first = Sinks.many().unicast().onBackpressureBuffer();
        Sinks.Many<PoeEvent> second = Sinks.many().unicast().onBackpressureBuffer();
        List<PoeEvent> received = new CopyOnWriteArrayList<>();
        drain.track(first.asFlux(), "en").subscribe(received::add);
        drain.track(second.asFlux(), "en").subscribe(received::add);

        drain.stop(stopped::incrementAndGet);
        clock.advanceTimeBy(Duration.ofSeconds(10));
        first.tryEmitNext(new PoeEvent.Text("a"));
        first.tryEmitComplete();
        assertThat(stopped).as("one answer still open").hasValue(0);

        clock.advanceTimeBy(Duration.ofSeconds(10));
        second.tryEmitNext(new PoeEvent.Text("b"));
        second.tryEmitComplete();

        assertThat(stopped).hasValue(1);
        assertThat(received).containsExactly(new PoeEvent.Text("a"), new PoeEvent.Text("b"));
        assertThat(openStreams()).isZero();
    }

    @Test
    void anAnswerStillOpenAtTheTimeoutEndsWithAnErrorThatAllowsARetry() {
        List<PoeEvent> received = new CopyOnWriteArrayList<>();
        drain.track(Flux.concat(Flux.<PoeEvent>just(new PoeEvent.Text("partial")), Flux.never()), "de")
                .subscribe(received::add);

        drain.stop(stopped::incrementAndGet);
        clock.advanceTimeBy(TIMEOUT.minusMillis(1));
        assertThat(received).containsExactly(new PoeEvent.Text("partial"));
        assertThat(stopped).hasValue(0);

        clock.advanceTimeBy(Duration.ofMillis(1));

        assertThat(received).containsExactly(new PoeEvent.Text("partial"), UserError.SERVER_RESTARTING.in("de"));
        assertThat(((PoeEvent.Error) received.get(1)).allowRetry()).isTrue();
        assertThat(openStreams()).isZero();
        assertThat(stopped).as("the ended answer wrote its error; nothing to flush").hasValue(1);
    }

    @Test
    void anAnswerWhoseCallerTakesNoMoreIsGivenUpAfterTheFlush() {
        drain.track(Flux.never(), "en").subscribe();
        drain.track(Flux.never(), "en").subscribe(event -> { }, error -> { }, () -> { }, noDemand -> { });

        drain.stop(stopped::incrementAndGet);
        clock.advanceTimeBy(TIMEOUT);
        assertThat(openStreams()).as("the caller never takes its error").isEqualTo(1);
        assertThat(stopped).hasValue(0);

        clock.advanceTimeBy(Drain.FLUSH);
        assertThat(stopped).hasValue(1);
        assertThat(drain.shutdownPhaseTimeout()).isEqualTo(TIMEOUT.plus(Drain.FLUSH));
    }

    @Test
    void itStopsBeforeTheWebServerStopsListening() {
        assertThat(drain.getPhase()).isEqualTo(SmartLifecycle.DEFAULT_PHASE);
    }
}
