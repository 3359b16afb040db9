package dev.botfleet.runtime.poe;

import java.time.Duration;

/**
 * Poe's limits on one answer, with Poe's own numbers as defaults, and how text is paced within them.
 *
 * @param maxEvents     most events in one answer, {@code meta} and {@code done} included
 * @param maxCharacters most characters (Unicode code points) of an answer's text as it stands; a
 *                      {@code replace_response} starts the count again
 * @param maxDuration   longest an answer may take, from the request
 * @param textInterval  shortest time between two {@code text} events; text arriving sooner is sent together
 * @param textBatch     characters of waiting text that are sent at once, without waiting for the interval
 */
public record PoeLimits(Integer maxEvents, Integer maxCharacters, Duration maxDuration, Duration textInterval,
                        Integer textBatch) {

    /** What a limit's notice may take of the answer's characters; every notice in the catalogue is shorter. */
    static final int NOTICE_ROOM = 200;
    /** Events kept back for the end of an answer: its last text (or the notice of a limit) and {@code done}. */
    static final int CLOSING_EVENTS = 2;
    /** Events text pacing leaves for what handlers send besides text: suggested replies, files, an error. */
    static final int SPARE_EVENTS = 10;

    public static final PoeLimits POE = new PoeLimits(null, null, null, null, null);

    public PoeLimits {
        maxEvents = maxEvents == null ? 10_000 : maxEvents;
        maxCharacters = maxCharacters == null ? 100_000 : maxCharacters;
        maxDuration = maxDuration == null ? Duration.ofSeconds(600) : maxDuration;
        textInterval = textInterval == null ? Duration.ofMillis(30) : textInterval;
        textBatch = textBatch == null ? 4096 : textBatch;
        if (maxEvents < CLOSING_EVENTS + SPARE_EVENTS + 8) {
            throw new IllegalArgumentException("botfleet.poe.max-events must be at least "
                    + (CLOSING_EVENTS + SPARE_EVENTS + 8) + ", not " + maxEvents);
        }
        if (maxCharacters < 2 * NOTICE_ROOM) {
            throw new IllegalArgumentException("botfleet.poe.max-characters must be at least " + 2 * NOTICE_ROOM
                    + ", not " + maxCharacters);
        }
        if (maxDuration.isNegative() || maxDuration.isZero()) {
            throw new IllegalArgumentException("botfleet.poe.max-duration must be positive, not " + maxDuration);
        }
        if (textInterval.isNegative()) {
            throw new IllegalArgumentException("botfleet.poe.text-interval must not be negative");
        }
        if (textBatch < 1) {
            throw new IllegalArgumentException("botfleet.poe.text-batch must be at least 1, not " + textBatch);
        }
    }
}
