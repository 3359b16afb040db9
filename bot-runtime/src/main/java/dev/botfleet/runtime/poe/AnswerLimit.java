package dev.botfleet.runtime.poe;

import java.util.Locale;

/** One of Poe's limits on an answer, at which the runtime ends it with a notice to the user and {@code done}. */
public enum AnswerLimit {
    /** The answer's text reached {@code botfleet.poe.max-characters}. */
    LENGTH,
    /** The answer took {@code botfleet.poe.max-duration}. */
    TIME,
    /** The answer reached {@code botfleet.poe.max-events}. */
    EVENTS;

    /** The notice appended to the answer, in the user's language. */
    public String notice(String languageCode) {
        return UserTexts.text("notice_" + name().toLowerCase(Locale.ROOT), languageCode);
    }
}
