package dev.botfleet.handler.poe;

import com.fasterxml.jackson.databind.JsonNode;

/** One server-sent event of a Poe query response. {@link PoeEventCodec} turns it into bytes. */
public sealed interface PoeEvent {

    /**
     * Announces how Poe renders the answer. Sent only when it differs from Poe's defaults (Markdown, no suggested
     * replies), and then as the first event of an answer that has content.
     */
    record Meta(String contentType, boolean suggestedReplies) implements PoeEvent {

        public static final Meta DEFAULTS = new Meta("text/markdown", false);

        /** Whether it says nothing Poe would not assume without it. */
        public boolean isDefault() {
            return equals(DEFAULTS);
        }
    }

    /** A chunk appended to the answer. */
    record Text(String text) implements PoeEvent {
    }

    /** Replaces everything sent so far with this text. */
    record ReplaceResponse(String text) implements PoeEvent {
    }

    /** A follow-up reply Poe offers as a button. */
    record SuggestedReply(String text) implements PoeEvent {
    }

    /** A file attached to the answer. */
    record File(String url, String contentType, String name, String inlineRef) implements PoeEvent {
    }

    /** A string Poe stores with the bot message and sends back in later requests. */
    record Data(String metadata) implements PoeEvent {
    }

    /**
     * A JSON object for the caller to read, which Poe's bot API relays as it is: during function calling, an OpenAI
     * {@code chat.completion.chunk} whose delta carries the model's tool calls.
     */
    record Json(JsonNode data) implements PoeEvent {
    }

    /**
     * The answer failed. {@code text} is what the Poe user reads, so it is written for them: short, in their terms,
     * in their language where it can be, and never with the owner's diagnostics (those go to the log).
     * {@code errorType} is one of Poe's error types ({@code user_message_too_long}, {@code user_caused_error},
     * {@code insufficient_fund}, {@code privacy_authorization_error}) or null.
     */
    record Error(boolean allowRetry, String text, String errorType) implements PoeEvent {

        public static Error retryable(String text) {
            return new Error(true, text, null);
        }

        public static Error notRetryable(String text) {
            return new Error(false, text, null);
        }
    }

    /** The end of the answer; sent exactly once, last. */
    record Done() implements PoeEvent {
    }
}
