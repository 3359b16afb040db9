package dev.botfleet.runtime;

import dev.botfleet.runtime.poe.UserError;
import dev.botfleet.runtime.secrets.SecretRedactor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a bot's owner needs to fix a failed answer, which the Poe user is not told: the provider, statuses, every
 * attempt, the upstream's own words. One log line per failed answer, with every known secret and credential
 * redacted, beside the user error it became. Never the user's message text.
 */
public final class OwnerLog {

    private static final Logger log = LoggerFactory.getLogger(OwnerLog.class);

    private final SecretRedactor redactor;

    public OwnerLog(SecretRedactor redactor) {
        this.redactor = redactor;
    }

    /**
     * An answer of {@code bot} ended with {@code told}. At WARN when the bot, its provider or the runtime failed
     * (its owner may have to act), at INFO when the bot refused what the user sent (too long, an image too large).
     */
    public void told(String bot, String messageId, UserError told, String diagnosis) {
        String redacted = redactor.redactError(diagnosis);
        if (told.causedByUser()) {
            log.info("bot '{}' message {}: the user was told {}: {}", bot, messageId, told.key(), redacted);
        } else {
            log.warn("bot '{}' message {}: the user was told {}: {}", bot, messageId, told.key(), redacted);
        }
    }
}
