package dev.botfleet.runtime.poe;

import dev.botfleet.handler.poe.PoeEvent;
import dev.botfleet.handler.poe.PoeEventCodec;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Operators;
import reactor.core.scheduler.Scheduler;
import reactor.util.context.Context;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes an answer's events as Poe's wire frames, within Poe's limits ({@link PoeLimits}):
 * <ul>
 * <li>a comment goes out at once, so that the status line and headers do not wait for the first event, and again
 *     after every silence of the keep-alive interval;</li>
 * <li>text is coalesced: a {@code text} event goes out at once when the last one left at least the text interval
 *     ago, else the text waiting is sent together when the interval has passed (or when it reaches the batch size,
 *     or before any other event). The interval widens when Poe's event budget could not otherwise last until the
 *     answer's deadline, and text waits while the caller is not reading, so a slow reader gets fewer, larger
 *     events;</li>
 * <li>at the character, time or event limit the answer ends cleanly: the text so far, a notice in the user's
 *     language, then {@code done}; the answer itself is cancelled, which closes the provider's stream.</li>
 * </ul>
 * The events given must end with {@code done}, as {@link PoeStream} frames them. Keep-alives are comments and count
 * as no event.
 */
public final class PoeFrames {

    private final PoeEventCodec codec;
    private final PoeLimits limits;
    private final long keepAliveMillis;

    public PoeFrames(PoeEventCodec codec, PoeLimits limits, Duration keepAlive) {
        this.codec = codec;
        this.limits = limits;
        this.keepAliveMillis = keepAlive.toMillis();
    }

    /**
     * The frames of {@code answer}. Its subscriber context holds an {@link AnswerCut}, set before the answer is
     * cancelled at a limit.
     *
     * @param languageCode the user's, for the notice of a limit
     * @param timers       where the answer's keep-alives, text pacing and deadline are timed
     */
    public Flux<String> write(Flux<PoeEvent> answer, String languageCode, Scheduler timers) {
        return Flux.from(subscriber -> new Writer(subscriber, languageCode, timers).start(answer));
    }

    private enum Tick { TEXT, KEEP_ALIVE, DEADLINE }

    private record Failed(Throwable error) {
    }

    private static final Object COMPLETE = new Object();

    /**
     * One answer being written. Every signal (an event, the end, a timer, the caller's demand) is queued and handled
     * by whichever thread drains, one at a time, so the state below needs no lock.
     */
    private final class Writer implements CoreSubscriber<PoeEvent>, Subscription {

        /** Events asked of the answer at once; more are asked when few frames wait. */
        private static final int PREFETCH = 32;
        private static final int REFILL_BELOW = 8;

        private final Subscriber<? super String> downstream;
        private final String languageCode;
        private final Scheduler timers;
        private final AnswerCut cut = new AnswerCut();
        private final Queue<Object> signals = new ConcurrentLinkedQueue<>();
        private final AtomicInteger wip = new AtomicInteger();
        private final AtomicLong requested = new AtomicLong();
        private volatile Subscription upstream;
        private volatile boolean cancelled;

        private final ArrayDeque<String> frames = new ArrayDeque<>();
        private final StringBuilder text = new StringBuilder();
        private int events;
        private int characters;
        private int asked;
        private boolean finished;
        private boolean upstreamDone;
        private Throwable error;
        private long deadline;
        private long lastText = Long.MIN_VALUE / 4;
        private long lastWrite;
        private Disposable textTimer;
        private Disposable keepAliveTimer;
        private Disposable deadlineTimer;

        Writer(Subscriber<? super String> downstream, String languageCode, Scheduler timers) {
            this.downstream = downstream;
            this.languageCode = languageCode;
            this.timers = timers;
        }

        void start(Flux<PoeEvent> answer) {
            long now = now();
            deadline = now + limits.maxDuration().toMillis();
            lastWrite = now;
            frames.add(PoeEventCodec.KEEP_ALIVE);
            deadlineTimer = timers.schedule(() -> signal(Tick.DEADLINE), deadline - now, TimeUnit.MILLISECONDS);
            downstream.onSubscribe(this);
            if (!cancelled) {
                answer.subscribe(this);
            }
        }

        @Override
        public Context currentContext() {
            Context context = downstream instanceof CoreSubscriber<?> core ? core.currentContext() : Context.empty();
            return context.put(AnswerCut.class, cut);
        }

        @Override
        public void onSubscribe(Subscription subscription) {
            upstream = subscription;
            // A caller who hung up before the answer was subscribed finds the drain loop stopped for good.
            if (cancelled) {
                subscription.cancel();
            } else {
                drain();
            }
        }

        @Override
        public void onNext(PoeEvent event) {
            signal(event);
        }

        @Override
        public void onError(Throwable failure) {
            signal(new Failed(failure));
        }

        @Override
        public void onComplete() {
            signal(COMPLETE);
        }

        @Override
        public void request(long n) {
            if (n > 0) {
                requested.getAndUpdate(r -> Operators.addCap(r, n));
                drain();
            }
        }

        @Override
        public void cancel() {
            cancelled = true;
            drain();
        }

        private void signal(Object signal) {
            signals.offer(signal);
            drain();
        }

        private void drain() {
            if (wip.getAndIncrement() != 0) {
                return;
            }
            int missed = 1;
            while (true) {
                if (cancelled) {
                    stop();
                    return;
                }
                Object signal;
                while ((signal = signals.poll()) != null) {
                    handle(signal);
                }
                if (write()) {
                    return;
                }
                missed = wip.addAndGet(-missed);
                if (missed == 0) {
                    return;
                }
            }
        }

        private void handle(Object signal) {
            if (signal instanceof PoeEvent event) {
                asked--;
                accept(event);
            } else if (signal == Tick.TEXT) {
                textTimer = null;
            } else if (signal == Tick.KEEP_ALIVE) {
                keepAliveTimer = null;
            } else if (signal == Tick.DEADLINE) {
                cutAt(AnswerLimit.TIME);
            } else if (signal == COMPLETE) {
                upstreamDone = true;
                if (!finished) {
                    finish();
                }
            } else if (signal instanceof Failed failed && !finished) {
                upstreamDone = true;
                finished = true;
                error = failed.error();
            }
        }

        private void accept(PoeEvent event) {
            if (finished) {
                return;
            }
            if (event instanceof PoeEvent.Text chunk) {
                append(chunk.text());
            } else if (event instanceof PoeEvent.Done) {
                finish();
            } else if (!hasRoomFor((text.isEmpty() ? 0 : 1) + 1)) {
                cutAt(AnswerLimit.EVENTS);
            } else {
                flushText();
                if (event instanceof PoeEvent.ReplaceResponse replacement) {
                    replace(replacement.text());
                } else {
                    add(event);
                }
            }
        }

        private void append(String chunk) {
            int length = chunk.codePointCount(0, chunk.length());
            int room = textRoom() - characters;
            if (length > room) {
                text.append(chunk, 0, chunk.offsetByCodePoints(0, Math.max(room, 0)));
                characters += Math.max(room, 0);
                cutAt(AnswerLimit.LENGTH);
                return;
            }
            text.append(chunk);
            characters += length;
        }

        private void replace(String replacement) {
            int length = replacement.codePointCount(0, replacement.length());
            if (length > textRoom()) {
                add(new PoeEvent.ReplaceResponse(replacement.substring(0,
                        replacement.offsetByCodePoints(0, textRoom()))));
                characters = textRoom();
                cutAt(AnswerLimit.LENGTH);
                return;
            }
            add(new PoeEvent.ReplaceResponse(replacement));
            characters = length;
        }

        /** Characters the answer's text may take, leaving room for a limit's notice. */
        private int textRoom() {
            return limits.maxCharacters() - PoeLimits.NOTICE_ROOM;
        }

        private void finish() {
            flushText();
            add(new PoeEvent.Done());
            finished = true;
        }

        /** Ends the answer at a limit: the text so far with the notice, then done; the answer is cancelled. */
        private void cutAt(AnswerLimit limit) {
            if (finished) {
                return;
            }
            cut.cutAt(limit);
            upstreamDone = true;
            Subscription subscription = upstream;
            if (subscription != null) {
                subscription.cancel();
            }
            String notice = limit.notice(languageCode);
            text.append(characters > 0 ? "\n\n" + notice : notice);
            finish();
        }

        private boolean hasRoomFor(int count) {
            return limits.maxEvents() - events - count >= PoeLimits.CLOSING_EVENTS;
        }

        private void flushText() {
            if (!text.isEmpty()) {
                add(new PoeEvent.Text(text.toString()));
                text.setLength(0);
                lastText = now();
            }
        }

        private void add(PoeEvent event) {
            frames.add(codec.encode(event));
            events++;
        }

        /** Writes what the caller has asked for; true once the answer is over. */
        private boolean write() {
            long now = now();
            while (true) {
                while (!frames.isEmpty() && requested.get() > 0) {
                    emit(frames.poll(), now);
                }
                if (!frames.isEmpty()) {
                    break;
                }
                if (finished) {
                    terminate();
                    return true;
                }
                if (text.isEmpty() || requested.get() == 0 || !textMayGo(now)) {
                    break;
                }
                flushText();
            }
            if (!finished) {
                armTextTimer(now);
                keepAlive(now);
                askForMore();
            }
            return false;
        }

        private void emit(String frame, long now) {
            requested.decrementAndGet();
            lastWrite = now;
            downstream.onNext(frame);
        }

        /** Events text pacing may still use, beyond what the end of the answer and other events need. */
        private int pacingRoom() {
            return limits.maxEvents() - events - PoeLimits.CLOSING_EVENTS - PoeLimits.SPARE_EVENTS;
        }

        private boolean textMayGo(long now) {
            return pacingRoom() > 0 && (now >= lastText + interval(now) || text.length() >= limits.textBatch());
        }

        /**
         * The text interval, widened to twice the even share of the time left per event left when that is longer:
         * the share shrinks as the answer goes on, so the budget lasts to the deadline whatever the provider does.
         */
        private long interval(long now) {
            long share = Math.max(0, deadline - now) / (2L * Math.max(1, pacingRoom()));
            return Math.max(limits.textInterval().toMillis(), share);
        }

        private void armTextTimer(long now) {
            if (textTimer == null && !text.isEmpty() && frames.isEmpty() && requested.get() > 0 && pacingRoom() > 0) {
                long wait = Math.max(1, lastText + interval(now) - now);
                textTimer = timers.schedule(() -> signal(Tick.TEXT), wait, TimeUnit.MILLISECONDS);
            }
        }

        private void keepAlive(long now) {
            if (frames.isEmpty() && requested.get() > 0 && now - lastWrite >= keepAliveMillis) {
                emit(PoeEventCodec.KEEP_ALIVE, now);
            }
            if (keepAliveTimer == null) {
                keepAliveTimer = timers.schedule(() -> signal(Tick.KEEP_ALIVE),
                        Math.max(1, lastWrite + keepAliveMillis - now), TimeUnit.MILLISECONDS);
            }
        }

        private void askForMore() {
            Subscription subscription = upstream;
            if (subscription != null && !upstreamDone && asked <= REFILL_BELOW && frames.size() < PREFETCH) {
                int more = PREFETCH - asked;
                asked = PREFETCH;
                subscription.request(more);
            }
        }

        private void terminate() {
            disposeTimers();
            if (error != null) {
                downstream.onError(error);
            } else {
                downstream.onComplete();
            }
        }

        private void stop() {
            Subscription subscription = upstream;
            if (subscription != null && !upstreamDone) {
                subscription.cancel();
            }
            disposeTimers();
            signals.clear();
            frames.clear();
        }

        private void disposeTimers() {
            for (Disposable timer : new Disposable[] {textTimer, keepAliveTimer, deadlineTimer}) {
                if (timer != null) {
                    timer.dispose();
                }
            }
        }

        private long now() {
            return timers.now(TimeUnit.MILLISECONDS);
        }
    }
}
