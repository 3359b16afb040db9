package dev.botfleet.runtime.poe;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.botfleet.handler.poe.PoeEvent;
import dev.botfleet.handler.poe.PoeEventCodec;
import dev.botfleet.runtime.SseEvents;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.test.scheduler.VirtualTimeScheduler;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** The wire of an answer, on virtual time: when frames leave, how text is coalesced, and Poe's limits held. */
class PoeFramesTest {

    private static final Duration KEEP_ALIVE = Duration.ofSeconds(3);
    /** Longer than the event budget's own pacing (600 s over 10,000 events), so these tests see it alone. */
    private static final PoeLimits PACED = new PoeLimits(null, null, null, Duration.ofMillis(50), null);

    private final VirtualTimeScheduler time = VirtualTimeScheduler.create();

    /** One answer being written: what the handler sends, and what reached the caller. */
    private final class Answer {

        final Sinks.Many<PoeEvent> handler = Sinks.many().unicast().onBackpressureBuffer();
        final List<String> frames = new ArrayList<>();
        final AtomicBoolean cancelled = new AtomicBoolean();
        final AtomicBoolean completed = new AtomicBoolean();
        final AtomicReference<AnswerCut> cut = new AtomicReference<>();
        private final Caller caller;

        Answer(PoeLimits limits, long initialDemand, String language) {
            Flux<PoeEvent> events = Flux.deferContextual(view -> {
                cut.set(view.get(AnswerCut.class));
                return handler.asFlux();
            }).doOnCancel(() -> cancelled.set(true)).concatWith(Flux.just(new PoeEvent.Done()));
            caller = new Caller(initialDemand);
            new PoeFrames(new PoeEventCodec(new ObjectMapper()), limits, KEEP_ALIVE, time)
                    .write(events, language).subscribe(caller);
        }

        Answer(PoeLimits limits) {
            this(limits, Long.MAX_VALUE, "en");
        }

        Answer send(PoeEvent... events) {
            for (PoeEvent event : events) {
                handler.emitNext(event, Sinks.EmitFailureHandler.FAIL_FAST);
            }
            return this;
        }

        Answer text(String... chunks) {
            for (String chunk : chunks) {
                send(new PoeEvent.Text(chunk));
            }
            return this;
        }

        Answer end() {
            handler.emitComplete(Sinks.EmitFailureHandler.FAIL_FAST);
            return this;
        }

        List<SseEvents.Event> events() {
            return SseEvents.parse(String.join("", frames));
        }

        List<String> texts() {
            return events().stream().filter(e -> e.name().equals("text")).map(SseEvents.Event::text).toList();
        }

        long comments() {
            return frames.stream().filter(PoeEventCodec.KEEP_ALIVE::equals).count();
        }

        void request(long n) {
            caller.ask(n);
        }

        void hangUp() {
            caller.cancel();
        }

        private final class Caller extends BaseSubscriber<String> {

            private final long initialDemand;

            Caller(long initialDemand) {
                this.initialDemand = initialDemand;
            }

            @Override
            protected void hookOnSubscribe(Subscription subscription) {
                if (initialDemand > 0) {
                    subscription.request(initialDemand);
                }
            }

            @Override
            protected void hookOnNext(String frame) {
                frames.add(frame);
            }

            @Override
            protected void hookOnComplete() {
                completed.set(true);
            }

            void ask(long n) {
                request(n);
            }
        }
    }

    private void advance(long millis) {
        time.advanceTimeBy(Duration.ofMillis(millis));
    }

    @Test
    void aCommentGoesOutAtOnceSoTheResponseStartsBeforeAnyEvent() {
        Answer answer = new Answer(PACED);
        assertThat(answer.frames).containsExactly(PoeEventCodec.KEEP_ALIVE);
        assertThat(answer.events()).isEmpty();
    }

    @Test
    void keepAlivesFillEverySilenceOfTheIntervalAndOnlySilences() {
        Answer answer = new Answer(PACED);
        advance(2_999);
        assertThat(answer.comments()).isEqualTo(1);
        advance(1);
        assertThat(answer.comments()).isEqualTo(2);
        advance(500);
        answer.text("hello");
        advance(2_999);
        assertThat(answer.comments()).as("the text reset the silence").isEqualTo(2);
        advance(1);
        assertThat(answer.comments()).isEqualTo(3);
        answer.end();
        advance(10_000);
        assertThat(answer.comments()).as("none after done").isEqualTo(3);
        assertThat(answer.completed).isTrue();
    }

    @Test
    void theFirstTextGoesAtOnceAndTextArrivingWithinTheIntervalIsSentTogether() {
        Answer answer = new Answer(PACED);
        answer.text("Hello");
        assertThat(answer.texts()).containsExactly("Hello");

        advance(10);
        answer.text(", ", "wor");
        advance(10);
        answer.text("ld");
        assertThat(answer.texts()).as("within 50 ms of the last text").containsExactly("Hello");
        advance(29);
        assertThat(answer.texts()).containsExactly("Hello");
        advance(1);
        assertThat(answer.texts()).containsExactly("Hello", ", world");

        advance(200);
        answer.text("!");
        assertThat(answer.texts()).as("after a longer pause text goes at once").containsExactly("Hello", ", world", "!");
        answer.end();
        assertThat(answer.events().get(answer.events().size() - 1).name()).isEqualTo("done");
    }

    @Test
    void waitingTextReachingTheBatchSizeGoesWithoutWaitingForTheInterval() {
        Answer answer = new Answer(new PoeLimits(null, null, null, Duration.ofMillis(50), 10));
        answer.text("a");
        answer.text("12345");
        assertThat(answer.texts()).containsExactly("a");
        answer.text("67890");
        assertThat(answer.texts()).containsExactly("a", "1234567890");
    }

    @Test
    void otherEventsTakeTheWaitingTextWithThemInOrder() {
        Answer answer = new Answer(PACED);
        answer.text("a", "b");
        answer.send(new PoeEvent.SuggestedReply("more?"), new PoeEvent.Text("c"));
        answer.send(PoeEvent.Error.retryable("late"));
        assertThat(answer.events()).extracting(SseEvents.Event::name)
                .containsExactly("text", "text", "suggested_reply", "text", "error");
        assertThat(answer.texts()).containsExactly("a", "b", "c");
        answer.end();
        assertThat(answer.events()).extracting(SseEvents.Event::name).endsWith("error", "done");
    }

    @Test
    void aReaderThatFallsBehindGetsTheTextThatWaitedAsOneEvent() {
        Answer answer = new Answer(PACED, 1, "en");
        assertThat(answer.frames).containsExactly(PoeEventCodec.KEEP_ALIVE);
        answer.text("one ");
        advance(100);
        answer.text("two ");
        advance(100);
        answer.text("three");
        advance(100);
        assertThat(answer.texts()).isEmpty();
        assertThat(answer.cancelled).as("the answer is not dropped").isFalse();

        answer.request(Long.MAX_VALUE);
        assertThat(answer.texts()).containsExactly("one two three");
    }

    @Test
    void twelveThousandDeltasAtOnceBecomeFewEventsWithTheTextWhole() {
        Answer answer = new Answer(PoeLimits.POE);
        StringBuilder sent = new StringBuilder();
        for (int i = 0; i < 12_000; i++) {
            String delta = "w" + i + " ";
            sent.append(delta);
            answer.text(delta);
            if (i % 100 == 0) {
                advance(1);
            }
        }
        answer.end();
        advance(1_000);
        assertThat(String.join("", answer.texts())).isEqualTo(sent.toString());
        // 120 ms at one event per 30 ms, and one per 4,096 characters waiting (about 80,000 in all).
        assertThat(answer.events().size()).isLessThanOrEqualTo(1 + 4 + 80_000 / 4_096 + 1);
        assertThat(answer.completed).isTrue();
    }

    /** A provider streaming every 5 ms for ten minutes: 120,000 deltas, and Poe's 10,000 events still hold. */
    @Test
    void theEventBudgetLastsUntilTheDeadlineWhateverTheProviderSends() {
        Answer answer = new Answer(new PoeLimits(null, 10_000_000, null, null, null));
        long deltas = 0;
        while (!answer.completed.get()) {
            answer.text("x");
            deltas++;
            advance(5);
        }
        assertThat(deltas).isGreaterThan(100_000);
        assertThat(answer.events()).hasSizeLessThanOrEqualTo(10_000);
        assertThat(answer.events().size()).as("yet the budget is used, not hoarded").isGreaterThan(5_000);
        assertThat(answer.cut.get().limit()).isEqualTo(AnswerLimit.TIME);
        assertThat(answer.texts().get(answer.texts().size() - 1)).endsWith(AnswerLimit.TIME.notice("en"));
        assertThat(answer.cancelled).isTrue();
    }

    @Test
    void atTheCharacterLimitTheAnswerEndsWithANoticeAndTheHandlerIsCancelled() {
        PoeLimits limits = new PoeLimits(null, 1_000, null, null, null);
        Answer answer = new Answer(limits);
        for (int i = 0; i < 30; i++) {
            answer.text("0123456789".repeat(5));
            advance(100);
        }
        String text = String.join("", answer.texts());
        assertThat(text.codePointCount(0, text.length())).isLessThanOrEqualTo(1_000);
        assertThat(text).startsWith("0123456789").endsWith("\n\n" + AnswerLimit.LENGTH.notice("en"));
        assertThat(answer.events().get(answer.events().size() - 1).name()).isEqualTo("done");
        assertThat(answer.cancelled).isTrue();
        assertThat(answer.cut.get().limit()).isEqualTo(AnswerLimit.LENGTH);
        assertThat(answer.completed).isTrue();
    }

    @Test
    void charactersAreCountedAsPoeDoesAndNeverSplitASurrogatePair() {
        PoeLimits limits = new PoeLimits(null, 400, null, null, null);
        Answer answer = new Answer(limits);
        answer.text("🎉".repeat(300));
        String text = answer.texts().get(0);
        String kept = text.substring(0, text.indexOf("\n\n"));
        assertThat(kept).isEqualTo("🎉".repeat(400 - PoeLimits.NOTICE_ROOM));
    }

    @Test
    void aReplacementStartsTheCountAgain() {
        PoeLimits limits = new PoeLimits(null, 1_000, null, null, null);
        Answer answer = new Answer(limits);
        answer.text("a".repeat(700));
        answer.send(new PoeEvent.ReplaceResponse("b".repeat(700)));
        answer.end();
        assertThat(answer.cut.get().limit()).isNull();
        assertThat(SseEvents.answer(answer.events())).isEqualTo("b".repeat(700));

        Answer tooLong = new Answer(limits);
        tooLong.send(new PoeEvent.ReplaceResponse("c".repeat(5_000)));
        assertThat(SseEvents.answer(tooLong.events())).startsWith("c".repeat(800))
                .endsWith(AnswerLimit.LENGTH.notice("en"));
        assertThat(tooLong.cut.get().limit()).isEqualTo(AnswerLimit.LENGTH);
    }

    @Test
    void atTheTimeLimitASilentAnswerEndsWithTheNoticeInTheUsersLanguage() {
        Answer answer = new Answer(new PoeLimits(null, null, Duration.ofSeconds(20), null, null), Long.MAX_VALUE,
                "de");
        advance(19_999);
        assertThat(answer.events()).isEmpty();
        advance(1);
        assertThat(answer.texts()).containsExactly(AnswerLimit.TIME.notice("de"));
        assertThat(answer.events().get(1).name()).isEqualTo("done");
        assertThat(answer.cancelled).isTrue();
        assertThat(answer.completed).isTrue();
    }

    @Test
    void atTheEventLimitTheAnswerEndsWithinIt() {
        Answer answer = new Answer(new PoeLimits(30, null, null, null, null));
        for (int i = 0; i < 100; i++) {
            answer.send(new PoeEvent.SuggestedReply("reply " + i));
        }
        assertThat(answer.events()).hasSize(30);
        assertThat(answer.events().get(28).text()).isEqualTo(AnswerLimit.EVENTS.notice("en"));
        assertThat(answer.events().get(29).name()).isEqualTo("done");
        assertThat(answer.cut.get().limit()).isEqualTo(AnswerLimit.EVENTS);
        assertThat(answer.cancelled).isTrue();
    }

    @Test
    void aCallerHangingUpCancelsTheAnswerAndItsTimers() {
        Answer answer = new Answer(PACED);
        answer.text("a", "b");
        answer.hangUp();
        assertThat(answer.cancelled).isTrue();
        int written = answer.frames.size();
        advance(60_000);
        assertThat(answer.frames).as("no keep-alive, no text after the hang-up").hasSize(written);
        assertThat(answer.cut.get().limit()).isNull();
    }

    @Test
    void aCallerGoneBeforeTheAnswerIsSubscribedNeverStartsIt() {
        AtomicBoolean started = new AtomicBoolean();
        Flux<PoeEvent> answer = Flux.<PoeEvent>never().doOnSubscribe(subscription -> started.set(true));
        new PoeFrames(new PoeEventCodec(new ObjectMapper()), PACED, KEEP_ALIVE, time).write(answer, "en")
                .subscribe(new BaseSubscriber<>() {
                    @Override
                    protected void hookOnSubscribe(Subscription subscription) {
                        cancel();
                    }
                });
        advance(Duration.ofMinutes(11).toMillis());
        assertThat(started).isFalse();
    }

    @Test
    void anAnswerWithoutTextEndsWithDoneOnly() {
        Answer answer = new Answer(PACED).end();
        assertThat(answer.events()).extracting(SseEvents.Event::name).containsExactly("done");
        assertThat(answer.completed).isTrue();
    }
}
