package dev.botfleet.runtime;

import dev.botfleet.runtime.poe.AnswerLimit;

import java.util.Locale;

/** How an answer ended, as counted in {@code botfleet_queries_total{outcome}}. */
public enum AnswerOutcome {
    /** The provider's answer streamed to its end. */
    SUCCESS,
    /** The answer ended with an {@code error} event: every provider failed, or one failed after text had streamed. */
    UPSTREAM_ERROR,
    /** The message did not fit the bot's input budget even without the earlier turns; no provider was asked. */
    TOO_LONG,
    /** An image attached to the message could not be fetched to inline it; no provider was asked. */
    IMAGE_NOT_FETCHED,
    /** The caller hung up before a successful answer ended. */
    CANCELLED,
    /** The answer reached Poe's character limit and ended with a notice (botfleet.poe.max-characters). */
    LENGTH_LIMIT,
    /** The answer took Poe's time limit and ended with a notice (botfleet.poe.max-duration). */
    TIME_LIMIT,
    /** The answer reached Poe's event limit and ended with a notice (botfleet.poe.max-events). */
    EVENT_LIMIT,
    /** The answer itself broke: a fault in the runtime, not the provider. */
    FAILED;

    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** How an answer cut at {@code limit} ended. */
    public static AnswerOutcome at(AnswerLimit limit) {
        return switch (limit) {
            case LENGTH -> LENGTH_LIMIT;
            case TIME -> TIME_LIMIT;
            case EVENTS -> EVENT_LIMIT;
        };
    }
}
