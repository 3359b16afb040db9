package dev.botfleet.runtime.poe;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Duration;

/**
 * Frames an answer the way Poe requires, whatever handler produced it: {@code meta} first and at once, then the
 * answer up to and including its first {@code error}, then {@code done} exactly once; a handler that fails
 * becomes an {@code error} event; comment keep-alives fill long silences.
 */
public final class PoeStream {

    private static final Logger log = LoggerFactory.getLogger(PoeStream.class);

    static final String UNEXPECTED = "The bot encountered an unexpected issue.";

    private final PoeEventCodec codec;
    private final Duration keepAlive;

    public PoeStream(PoeEventCodec codec, Duration keepAlive) {
        this.codec = codec;
        this.keepAlive = keepAlive;
    }

    public Flux<PoeEvent> events(PoeEvent.Meta meta, Flux<PoeEvent> answer) {
        Flux<PoeEvent> body = answer
                .takeUntil(event -> event instanceof PoeEvent.Error)
                .onErrorResume(failure -> {
                    log.error("bot handler failed", failure);
                    return Mono.just(PoeEvent.Error.notRetryable(UNEXPECTED));
                });
        return Flux.concat(Mono.just(meta), body, Mono.just(new PoeEvent.Done()));
    }

    /** The wire text of the answer, one string per event or keep-alive. */
    public Flux<String> frames(PoeEvent.Meta meta, Flux<PoeEvent> answer) {
        Flux<String> encoded = events(meta, answer).map(codec::encode);
        return encoded.publish(shared -> Flux.merge(
                shared,
                Flux.interval(keepAlive, keepAlive)
                        .map(tick -> PoeEventCodec.KEEP_ALIVE)
                        .takeUntilOther(shared.then(Mono.just(Boolean.TRUE)))));
    }
}
