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
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;
import reactor.test.scheduler.VirtualTimeScheduler;
import reactor.util.context.Context;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** The wire of an answer, on virtual time: when frames leave, how text is coalesced, and Poe's limits held. */
class PoeFramesTest {

    private static final Duration KEEP_ALIVE = Duration.ofSeconds(3);
    /** Longer than the event budget's own pacing (600 s over 10,000 events), so these tests see it alone. */
    private static final PoeLimits PACED = new PoeLimits(null, null, null, Duration.ofMillis(50), null);

    private final VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    private final CountingScheduler time = new CountingScheduler(clock);

    /** Virtual time that knows how many timers were set, and which are still waiting. */
    private static final class CountingScheduler implements Scheduler {

        private final VirtualTimeScheduler time;
        private final Set<Disposable> waiting = ConcurrentHashMap.newKeySet();
        private final AtomicInteger set = new AtomicInteger();

        CountingScheduler(VirtualTimeScheduler time) {
            this.time = time;
        }

        @Override
        public Disposable schedule(Runnable task) {
            return schedule(task, 0, TimeUnit.MILLISECONDS);
        }

        @Override
        public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
            set.incrementAndGet();
            AtomicReference<Disposable> scheduled = new AtomicReference<>();
            Disposable tracked = new Disposable() {
                @Override
                public void dispose() {
                    waiting.remove(this);
                    scheduled.get().dispose();
                }
            };
            waiting.add(tracked);
            scheduled.set(time.schedule(() -> {
                waiting.remove(tracked);
                task.run();
            }, delay, unit));
            return tracked;
        }

        @Override
        public Worker createWorker() {
            return time.createWorker();
        }

        @Override
        public long now(TimeUnit unit) {
            return time.now(unit);
        }
    }

    /** One answer being written: what the handler sends, and what reached the caller. */
    private final class Answer {

        final Sinks.Many<PoeEvent> handler = Sinks.many().unicast().onBackpressureBuffer();
        final List<String> frames = new ArrayList<>();
        final AtomicBoolean cancelled = new AtomicBoolean();
        final AtomicBoolean completed = new AtomicBoolean();
        final AtomicReference<AnswerCut> cut = new AtomicReference<>();
        final AtomicLong asked = new AtomicLong();
        private final Caller caller;

        Answer(PoeLimits limits, long initialDemand, String language) {
            Flux<PoeEvent> events = Flux.deferContextual(view -> {
                cut.set(view.get(AnswerCut.class));
                return handler.asFlux();
            }).doOnCancel(() -> cancelled.set(true)).concatWith(Flux.just(new PoeEvent.Done()))
                    .doOnRequest(asked::addAndGet);
            caller = new Caller(initialDemand);
            new PoeFrames(new PoeEventCodec(new ObjectMapper()), limits, KEEP_ALIVE)
                    .write(events, language, time).subscribe(caller);
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

    /** The frames of {@code events}, written on virtual time in English. */
    private Flux<String> write(Flux<PoeEvent> events, PoeLimits limits) {
        return new PoeFrames(new PoeEventCodec(new ObjectMapper()), limits, KEEP_ALIVE).write(events, "en", time);
    }

    private void advance(long millis) {
        clock.advanceTimeBy(Duration.ofMillis(millis));
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

        advance(10);
        answer.text("!", "?");
        advance(39);
        assertThat(answer.texts()).containsExactly("Hello", ", world");
        advance(1);
        assertThat(answer.texts()).as("every wait gets its timer").containsExactly("Hello", ", world", "!?");

        advance(200);
        answer.text(" Bye.");
        assertThat(answer.texts()).as("after a longer pause text goes at once")
                .containsExactly("Hello", ", world", "!?", " Bye.");
        answer.end();
        assertThat(answer.events()).extracting(SseEvents.Event::name).containsOnlyOnce("done").last()
                .isEqualTo("done");
        assertThat(time.waiting).as("no timer left behind").isEmpty();
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
    void aCallerThatDoesNotReadHoldsTheHandlerBackAndGetsEverythingWhenItReads() {
        Answer answer = new Answer(new PoeLimits(100_000, null, null, null, null), 1, "en");
        for (int i = 0; i < 1_000; i++) {
            answer.send(new PoeEvent.SuggestedReply("reply " + i));
        }
        answer.end();
        advance(10_000);

        assertThat(answer.frames).as("the comment, and no keep-alive without demand").containsExactly(
                PoeEventCodec.KEEP_ALIVE);
        assertThat(answer.asked.get()).as("events asked of the handler while nothing is read")
                .isLessThanOrEqualTo(64);
        assertThat(answer.completed).isFalse();

        answer.request(Long.MAX_VALUE);
        assertThat(answer.events()).hasSize(1_001);
        assertThat(answer.events().get(999).text()).isEqualTo("reply 999");
        assertThat(answer.events().get(1_000).name()).isEqualTo("done");
        assertThat(answer.completed).isTrue();
        assertThat(time.waiting).isEmpty();
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

        advance(10_000);
        assertThat(answer.frames).as("no keep-alive the caller did not ask for").hasSize(1);

        answer.request(Long.MAX_VALUE);
        assertThat(answer.texts()).containsExactly("one two three");
    }

    @Test
    void silenceCostsOneTimerPerKeepAliveAndTextOnePerWait() {
        Answer answer = new Answer(PACED);
        advance(30_000);
        assertThat(answer.comments()).isEqualTo(11);
        assertThat(time.set.get()).as("the deadline and one timer per keep-alive").isEqualTo(1 + 11);

        answer.text("a", "b");
        int before = time.set.get();
        advance(50);
        assertThat(answer.texts()).containsExactly("a", "b");
        assertThat(time.set.get() - before).as("a single timer for the waiting text").isLessThanOrEqualTo(2);
    }

    /** Text pacing keeps room for the end of the answer and for what handlers send besides text. */
    @Test
    void textNeverTakesTheEventsTheEndOfTheAnswerNeeds() {
        Answer answer = new Answer(new PoeLimits(30, null, null, Duration.ofMillis(1), null));
        int othersFirst = 30 - PoeLimits.CLOSING_EVENTS - PoeLimits.SPARE_EVENTS - 1;
        for (int i = 0; i < othersFirst; i++) {
            answer.send(new PoeEvent.SuggestedReply("reply " + i));
        }
        answer.text("a");
        advance(1_000);
        answer.text("b");
        advance(10_000);
        assertThat(answer.texts()).as("pacing used its last event on 'a'; 'b' waits").containsExactly("a");
        assertThat(answer.events()).hasSize(othersFirst + 1);

        answer.send(new PoeEvent.SuggestedReply("last"));
        answer.end();
        assertThat(answer.texts()).containsExactly("a", "b");
        assertThat(answer.events()).extracting(SseEvents.Event::name).endsWith("text", "suggested_reply", "done");
        assertThat(answer.cut.get().limit()).isNull();
    }

    @Test
    void textThatFillsExactlyTheRoomIsNoCut() {
        PoeLimits limits = new PoeLimits(null, 1_000, null, null, null);
        int room = 1_000 - PoeLimits.NOTICE_ROOM;
        Answer appended = new Answer(limits).text("a".repeat(room - 1), "b").end();
        assertThat(appended.cut.get().limit()).isNull();
        assertThat(String.join("", appended.texts())).hasSize(room);

        Answer replaced = new Answer(limits).send(new PoeEvent.ReplaceResponse("c".repeat(room))).end();
        assertThat(replaced.cut.get().limit()).isNull();
        assertThat(SseEvents.answer(replaced.events())).isEqualTo("c".repeat(room));
    }

    /** A handler that emits synchronously queues many events at once; those behind the cut are dropped. */
    @Test
    void eventsQueuedBehindACutAreDropped() {
        List<PoeEvent> many = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            many.add(new PoeEvent.Text("0123456789".repeat(10)));
        }
        many.add(new PoeEvent.Done());
        List<String> frames = new ArrayList<>();
        write(Flux.fromIterable(many), new PoeLimits(null, 1_000, null, null, null)).subscribe(frames::add);

        List<SseEvents.Event> events = SseEvents.parse(String.join("", frames));
        assertThat(events).extracting(SseEvents.Event::name).containsExactly("text", "done");
        assertThat(events.get(0).text()).hasSizeLessThanOrEqualTo(1_000).endsWith(AnswerLimit.LENGTH.notice("en"));
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
        advance(5_000);
        Answer answer = new Answer(new PoeLimits(null, null, Duration.ofSeconds(20), null, null), Long.MAX_VALUE,
                "de");
        advance(19_999);
        assertThat(answer.events()).isEmpty();
        advance(1);
        assertThat(answer.texts()).containsExactly(AnswerLimit.TIME.notice("de"));
        assertThat(answer.events().get(1).name()).isEqualTo("done");
        assertThat(answer.cancelled).isTrue();
        assertThat(answer.completed).isTrue();
        assertThat(time.waiting).isEmpty();
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
        assertThat(time.waiting).as("every timer is cancelled").isEmpty();
        advance(60_000);
        assertThat(answer.frames).as("no keep-alive, no text after the hang-up").hasSize(written);
        assertThat(answer.cut.get().limit()).isNull();
    }

    @Test
    void theAnswerEndsAtDoneEvenIfTheHandlersFluxGoesOn() {
        List<String> frames = new ArrayList<>();
        AtomicBoolean completed = new AtomicBoolean();
        write(Flux.concat(Flux.just(new PoeEvent.Text("a"), new PoeEvent.Done()), Flux.never()), PACED)
                .subscribe(frames::add, null, () -> completed.set(true));
        assertThat(SseEvents.parse(String.join("", frames))).extracting(SseEvents.Event::name)
                .containsExactly("text", "done");
        assertThat(completed).isTrue();
    }

    @Test
    void aHandlerThatEndsWithoutDoneStillEndsWithDone() {
        List<String> frames = new ArrayList<>();
        write(Flux.just(new PoeEvent.Text("a"), new PoeEvent.Text("b")), PACED).subscribe(frames::add);
        List<SseEvents.Event> events = SseEvents.parse(String.join("", frames));
        assertThat(events).extracting(SseEvents.Event::name).containsExactly("text", "done");
        assertThat(events.get(0).text()).isEqualTo("ab");
    }

    /** PoeStream turns a handler's failure into an error event; a failure past it is the connection's end. */
    @Test
    void aFailureOfTheEventsEndsTheWireAfterWhatCameBefore() {
        List<String> frames = new ArrayList<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        write(Flux.concat(Flux.just(new PoeEvent.Text("a")), Flux.error(new IllegalStateException("bug"))), PACED)
                .subscribe(frames::add, failure::set);
        assertThat(SseEvents.parse(String.join("", frames))).extracting(SseEvents.Event::text).containsExactly("a");
        assertThat(failure.get()).hasMessage("bug");
        assertThat(time.waiting).isEmpty();
    }

    @Test
    void theCallersContextReachesTheHandler() {
        AtomicReference<String> seen = new AtomicReference<>();
        write(Flux.deferContextual(view -> {
            seen.set(view.get("trace"));
            return Flux.just(new PoeEvent.Done());
        }), PACED).contextWrite(Context.of("trace", "t-1")).subscribe();
        assertThat(seen.get()).isEqualTo("t-1");
    }

    @Test
    void aCallerGoneBeforeTheAnswerIsSubscribedNeverStartsIt() {
        AtomicBoolean started = new AtomicBoolean();
        Flux<PoeEvent> answer = Flux.<PoeEvent>never().doOnSubscribe(subscription -> started.set(true));
        write(answer, PACED).subscribe(new BaseSubscriber<>() {
                    @Override
                    protected void hookOnSubscribe(Subscription subscription) {
                        cancel();
                    }
                });
        assertThat(time.waiting).isEmpty();
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
