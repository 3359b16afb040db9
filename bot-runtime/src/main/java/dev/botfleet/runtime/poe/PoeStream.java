package dev.botfleet.runtime.poe;

import dev.botfleet.handler.poe.PoeEvent;
import dev.botfleet.runtime.secrets.SecretRedactor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;


/**
 * Frames an answer the way Poe requires, whatever handler produced it: the answer up to and including its first
 * {@code error}, then {@code done} exactly once; a handler that fails becomes an {@code error} event. {@code meta} is
 * sent only when it differs from Poe's defaults, and then just before the first event of content: an answer whose
 * first event is an {@code error} must start with it, since Poe's client retries an error that allows a retry only
 * when nothing came before it. {@link PoeFrames} writes the result on the wire.
 */
public final class PoeStream {

    private static final Logger log = LoggerFactory.getLogger(PoeStream.class);

    private final SecretRedactor redactor;
    private final PoeFrames frames;

    public PoeStream(SecretRedactor redactor, PoeFrames frames) {
        this.redactor = redactor;
        this.frames = frames;
    }

    /**
     * The wire frames of the answer: its events framed as below, written within Poe's limits.
     *
     * @param timers where its keep-alives and paced text are timed: the caller connection's event loop
     */
    public Flux<String> frames(PoeEvent.Meta meta, Flux<PoeEvent> answer, String languageCode, Scheduler timers) {
        return frames.write(events(meta, answer, languageCode), languageCode, timers);
    }

    /** @param languageCode the user's, for the error of a handler that fails */
    public Flux<PoeEvent> events(PoeEvent.Meta meta, Flux<PoeEvent> answer, String languageCode) {
        Flux<PoeEvent> body = answer
                .takeUntil(event -> event instanceof PoeEvent.Error)
                .onErrorResume(failure -> {
                    log.error("bot handler failed: {}", redactor.redactError(String.valueOf(failure)));
                    log.debug("bot handler failure", failure);
                    return Mono.just(UserError.UNEXPECTED.in(languageCode));
                })
                .map(this::redacted);
        Flux<PoeEvent> announced = meta.isDefault() ? body : body.switchOnFirst((first, events) ->
                first.hasValue() && !(first.get() instanceof PoeEvent.Error)
                        ? Flux.concat(Mono.just(meta), events) : events);
        return Flux.concat(announced, Mono.just(new PoeEvent.Done()));
    }

    /** The event with secrets taken out of its text: every known secret value, and in errors every credential. */
    private PoeEvent redacted(PoeEvent event) {
        if (event instanceof PoeEvent.Text text) {
            return new PoeEvent.Text(redactor.redact(text.text()));
        }
        if (event instanceof PoeEvent.ReplaceResponse replace) {
            return new PoeEvent.ReplaceResponse(redactor.redact(replace.text()));
        }
        if (event instanceof PoeEvent.Error error) {
            return new PoeEvent.Error(error.allowRetry(), redactor.redactError(error.text()), error.errorType());
        }
        return event;
    }
}
