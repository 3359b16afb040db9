package dev.botfleet.api;

import java.time.Duration;
import java.util.regex.Matcher;

/** Parses the duration strings the schema accepts ({@link Validation#DURATION}), such as {@code 1m30s}. */
public final class Durations {

    private static final java.util.regex.Pattern WHOLE = java.util.regex.Pattern.compile(Validation.DURATION);
    private static final java.util.regex.Pattern PART = java.util.regex.Pattern.compile("([0-9]+)(ms|s|m|h)");

    private Durations() {
    }

    public static Duration parse(String text) {
        if (text == null || !WHOLE.matcher(text).matches()) {
            throw new IllegalArgumentException("not a duration such as 30s, 2m or 1m30s: '" + text + "'");
        }
        Duration total = Duration.ZERO;
        Matcher part = PART.matcher(text);
        while (part.find()) {
            long amount = Long.parseLong(part.group(1));
            total = total.plus(switch (part.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount);
            });
        }
        return total;
    }
}
