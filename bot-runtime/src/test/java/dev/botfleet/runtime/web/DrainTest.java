package dev.botfleet.runtime.web;

import dev.botfleet.handler.poe.PoeEvent;
import dev.botfleet.runtime.poe.UserError;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.context.SmartLifecycle;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class DrainTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Drain drain = new Drain(Duration.ofMillis(300), registry);

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

        long started = System.nanoTime();
        drain.stop();

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(200));
        assertThat(drain.draining()).isTrue();
        assertThat(drain.isRunning()).isFalse();
    }

    @Test
    void anAnswerThatEndsWithinTheTimeoutIsLeftAlone() {
        List<PoeEvent> received = new CopyOnWriteArrayList<>();
        drain.track(Flux.<PoeEvent>just(new PoeEvent.Text("a"), new PoeEvent.Text("b"))
                        .delayElements(Duration.ofMillis(50)), "en")
                .subscribe(received::add);

        drain.stop();

        assertThat(received).containsExactly(new PoeEvent.Text("a"), new PoeEvent.Text("b"));
        assertThat(openStreams()).isZero();
    }

    @Test
    void anAnswerStillOpenAtTheTimeoutEndsWithAnErrorThatAllowsARetry() {
        List<PoeEvent> received = new CopyOnWriteArrayList<>();
        drain.track(Flux.concat(Flux.<PoeEvent>just(new PoeEvent.Text("partial")), Flux.never()), "de")
                .subscribe(received::add);

        long started = System.nanoTime();
        drain.stop();

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(300),
                Duration.ofSeconds(2));
        await().atMost(Duration.ofSeconds(1)).until(() -> received.size() == 2);
        assertThat(received).containsExactly(new PoeEvent.Text("partial"),
                UserError.SERVER_RESTARTING.in("de"));
        assertThat(((PoeEvent.Error) received.get(1)).allowRetry()).isTrue();
        assertThat(openStreams()).isZero();
    }

    @Test
    void itStopsBeforeTheWebServerStopsListening() {
        assertThat(drain.getPhase()).isEqualTo(SmartLifecycle.DEFAULT_PHASE);
    }
}
