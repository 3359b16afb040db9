package dev.botfleet.runtime.poe;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.botfleet.handler.poe.PoeEvent;
import dev.botfleet.handler.poe.PoeEventCodec;
import dev.botfleet.runtime.SseEvents;
import dev.botfleet.runtime.secrets.SecretRedactor;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PoeStreamTest {

    private static final PoeEvent.Meta META = new PoeEvent.Meta("text/plain", true);

    private final SecretRedactor redactor = new SecretRedactor();
    private final PoeStream stream = new PoeStream(redactor, new PoeFrames(new PoeEventCodec(new ObjectMapper()),
            PoeLimits.POE, Duration.ofSeconds(3)));

    private List<PoeEvent> events(Flux<PoeEvent> answer) {
        return stream.events(META, answer, "en").collectList().block(Duration.ofSeconds(5));
    }

    @Test
    void aHandlerThatThrowsBecomesAnErrorThenDone() {
        List<PoeEvent> events = events(Flux.concat(Flux.just(new PoeEvent.Text("partial ")),
                Flux.error(new IllegalStateException("boom"))));

        assertThat(events).containsExactly(META, new PoeEvent.Text("partial "), UserError.UNEXPECTED.in("en"),
                new PoeEvent.Done());
        assertThat(stream.events(META, Flux.error(new IllegalStateException("boom")), "es").blockFirst())
                .as("in the user's language").isEqualTo(UserError.UNEXPECTED.in("es"));
    }

    @Test
    void theAnswerStopsAtItsFirstError() {
        List<PoeEvent> events = events(Flux.just(new PoeEvent.Text("a"), PoeEvent.Error.retryable("upstream"),
                new PoeEvent.Text("after the error"), PoeEvent.Error.notRetryable("second")));

        assertThat(events).containsExactly(META, new PoeEvent.Text("a"), PoeEvent.Error.retryable("upstream"),
                new PoeEvent.Done());
    }

    @Test
    void doneComesExactlyOnceEvenForAnEmptyAnswer() {
        assertThat(events(Flux.empty())).containsExactly(new PoeEvent.Done());
    }

    /** Poe's client retries an error that allows it only when nothing came before it: no meta before an error. */
    @Test
    void anAnswerThatIsAnErrorStartsWithTheError() {
        assertThat(events(Flux.just(PoeEvent.Error.retryable("busy"), new PoeEvent.Text("ignored"))))
                .containsExactly(PoeEvent.Error.retryable("busy"), new PoeEvent.Done());
        assertThat(events(Flux.error(new IllegalStateException("boom"))))
                .containsExactly(UserError.UNEXPECTED.in("en"), new PoeEvent.Done());
    }

    @Test
    void theDefaultMetaIsNotSentAtAll() {
        List<PoeEvent> events = stream.events(PoeEvent.Meta.DEFAULTS, Flux.just(new PoeEvent.Text("a")), "en")
                .collectList().block(Duration.ofSeconds(5));
        assertThat(events).containsExactly(new PoeEvent.Text("a"), new PoeEvent.Done());
        assertThat(PoeEvent.Meta.DEFAULTS.isDefault()).isTrue();
        assertThat(META.isDefault()).isFalse();
    }

    @Test
    void knownSecretsAreRedactedFromTextAndCredentialsFromErrors() {
        redactor.remember("sk-remembered-0123456789");
        List<PoeEvent> events = events(Flux.just(new PoeEvent.Text("key sk-remembered-0123456789 here"),
                new PoeEvent.ReplaceResponse("again sk-remembered-0123456789"),
                PoeEvent.Error.retryable("provider said: Bearer abcdefghijklmnop")));

        assertThat(events).containsExactly(META, new PoeEvent.Text("key [redacted] here"),
                new PoeEvent.ReplaceResponse("again [redacted]"),
                PoeEvent.Error.retryable("provider said: Bearer [redacted]"), new PoeEvent.Done());
    }

    @Test
    void theWireStartsWithACommentAndCarriesTheFramedEvents() {
        List<String> wire = stream.frames(META, Flux.just(new PoeEvent.Text("a")), "en", Schedulers.parallel()).collectList()
                .block(Duration.ofSeconds(5));
        assertThat(wire.get(0)).isEqualTo(PoeEventCodec.KEEP_ALIVE);
        assertThat(SseEvents.parse(String.join("", wire))).extracting(SseEvents.Event::name)
                .containsExactly("meta", "text", "done");
    }
}
