package dev.botfleet.runtime.secrets;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Keeps secrets out of what leaves the process. Every secret value the runtime has resolved (providers' API keys,
 * bots' access keys) is replaced wherever it appears; in error text, anything shaped like a credential (a bearer
 * token, an {@code sk-} key) is too, since a provider's error may quote a key the runtime never saw.
 */
public final class SecretRedactor {

    public static final String REDACTED = "[redacted]";

    /** Shorter values would match ordinary words. */
    private static final int SHORTEST_SECRET = 6;
    private static final Pattern CREDENTIAL_SHAPES = Pattern.compile(
            "(?i)(?<=bearer\\s)[A-Za-z0-9._~+/=-]{8,}|\\b(?:sk|rk|pk)-[A-Za-z0-9_-]{12,}|\\bAIza[0-9A-Za-z_-]{20,}");

    private final Set<String> values = ConcurrentHashMap.newKeySet();

    /** Remembers a value to be redacted from then on; returns it. */
    public String remember(String value) {
        if (value != null && value.length() >= SHORTEST_SECRET) {
            values.add(value);
        }
        return value;
    }

    /** Text with every remembered secret value replaced. */
    public String redact(String text) {
        if (text == null) {
            return null;
        }
        String redacted = text;
        for (String value : values) {
            if (redacted.contains(value)) {
                redacted = redacted.replace(value, REDACTED);
            }
        }
        return redacted;
    }

    /** Error text with every remembered secret value and every credential-shaped string replaced. */
    public String redactError(String text) {
        return text == null ? null : CREDENTIAL_SHAPES.matcher(redact(text)).replaceAll(REDACTED);
    }
}
