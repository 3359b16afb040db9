package dev.botfleet.runtime.poe;

import dev.botfleet.handler.poe.PoeEvent;

import java.util.Locale;

/**
 * Why an answer failed, as the Poe user is told it: each kind has its text in {@link UserTexts}, decides whether
 * Poe may offer a retry, and carries Poe's {@code error_type} where the protocol has one. What the bot's owner
 * needs to fix it goes to the log, never into these texts.
 */
public enum UserError {
    /** The provider failed in a way that may pass: 5xx, timeout, connection, a broken stream. */
    PROVIDER_UNAVAILABLE(true, null),
    /** The provider refused for load (429). */
    PROVIDER_BUSY(true, null),
    /** The provider refused this request (400, 422): too long for the model, filtered, malformed. */
    PROVIDER_REFUSED(false, null),
    /** The bot cannot reach its provider as configured: a rejected key, a missing provider, an untrusted TLS peer. */
    BOT_UNAVAILABLE(false, null),
    /** The provider failed after text had streamed. */
    ANSWER_CUT_SHORT(true, null),
    EMPTY_ANSWER(true, null),
    /** The conversation does not fit the bot's maxInputTokens even without its earlier turns. */
    MESSAGE_TOO_LONG(false, "user_message_too_long"),
    /** Arguments: the largest image the bot takes, as {@link UserTexts#size} writes it. */
    IMAGE_TOO_LARGE(false, "user_caused_error"),
    NOT_AN_IMAGE(false, "user_caused_error"),
    /** The image's URL answered with a refusal (an expired Poe URL): trying the same request again will not help. */
    IMAGE_UNAVAILABLE(false, null),
    /** The image could not be fetched in time, or its server failed. */
    IMAGE_NOT_FETCHED(true, null),
    /** Arguments: the bot's requestsPerMinutePerUser. */
    TOO_FAST(false, null),
    /** Arguments: the bot's concurrentAnswersPerUser. */
    TOO_MANY_AT_ONCE(false, null),
    BOT_BUSY(true, null),
    /** Poe would not authorize what an answer of a priced bot may cost: the user lacks the points. */
    INSUFFICIENT_FUNDS(false, "insufficient_fund"),
    /** Poe's cost API could not be asked what a priced bot's answer may cost; the provider is not asked unpaid. */
    COST_UNAVAILABLE(true, null),
    /** The fleet's shared counts (Redis) could not be reached and the group fails closed. */
    LIMITS_UNAVAILABLE(true, null),
    /** Arguments: hours and minutes until the user's daily budget of the bot resets (UTC midnight). */
    USER_BUDGET_SPENT(false, null),
    /** Arguments: hours and minutes until the bot's daily budget resets (UTC midnight). */
    BOT_BUDGET_SPENT(false, null),
    /** Arguments: seconds until the bot's tokens per minute reset. */
    TOKENS_PER_MINUTE_SPENT(false, null),
    /** The runtime is shutting down; another replica takes the retry. */
    SERVER_RESTARTING(true, null),
    /** The handler itself failed. Not retried, as Poe's reference server does. */
    UNEXPECTED(false, null);

    private final boolean allowRetry;
    private final String errorType;

    UserError(boolean allowRetry, String errorType) {
        this.allowRetry = allowRetry;
        this.errorType = errorType;
    }

    /** The {@code error} event telling the user, in {@code languageCode}. */
    public PoeEvent.Error in(String languageCode, Object... arguments) {
        return new PoeEvent.Error(allowRetry, UserTexts.text(key(), languageCode, arguments), errorType);
    }

    public boolean allowRetry() {
        return allowRetry;
    }

    /** Whether what the user sent caused it (Poe's error types say so), rather than the bot or its provider. */
    public boolean causedByUser() {
        return errorType != null;
    }

    /** The key of its text, also its tag in logs. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
