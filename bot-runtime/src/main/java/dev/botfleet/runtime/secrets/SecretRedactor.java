package dev.botfleet.runtime.secrets;

import org.ahocorasick.trie.Emit;
import org.ahocorasick.trie.Trie;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Keeps secrets out of what leaves the process. Every secret value the runtime has resolved (providers' API keys,
 * bots' access keys) is replaced wherever it appears, in one pass over the text whatever their number (an
 * Aho-Corasick automaton, rebuilt when a value is added); in error text, anything shaped like a credential (a bearer
 * token, an {@code sk-} key) is too, since a provider's error may quote a key the runtime never saw. A rotated value
 * stays remembered: providers often honour an old key for a while.
 */
public final class SecretRedactor {

    public static final String REDACTED = "[redacted]";

    /** Shorter values would match ordinary words. */
    private static final int SHORTEST_SECRET = 6;
    private static final Pattern CREDENTIAL_SHAPES = Pattern.compile(
            "(?i)(?<=bearer\\s)[A-Za-z0-9._~+/=-]{8,}|\\b(?:sk|rk|pk)-[A-Za-z0-9_-]{12,}|\\bAIza[0-9A-Za-z_-]{20,}");

    private final Set<String> values = ConcurrentHashMap.newKeySet();
    private volatile Trie automaton;

    /** Remembers a value to be redacted from then on; returns it. */
    public String remember(String value) {
        if (value != null && value.length() >= SHORTEST_SECRET && !values.contains(value)) {
            synchronized (this) {
                if (!values.contains(value)) {
                    // The automaton knows a value before the set does: whoever finds it in the set, finds it redacted.
                    Set<String> next = new HashSet<>(values);
                    next.add(value);
                    automaton = Trie.builder().addKeywords(next).build();
                    values.add(value);
                }
            }
        }
        return value;
    }

    /** Text with every remembered secret value replaced; values that overlap are replaced as one. */
    public String redact(String text) {
        Trie current = automaton;
        if (text == null || current == null || !current.containsMatch(text)) {
            return text;
        }
        List<Emit> matches = new ArrayList<>(current.parseText(text));
        matches.sort(Comparator.comparingInt(Emit::getStart));
        StringBuilder redacted = new StringBuilder(text.length());
        int shown = 0;
        int end = -1;
        for (Emit match : matches) {
            if (match.getStart() > end) {
                if (end >= 0) {
                    redacted.append(REDACTED);
                }
                redacted.append(text, shown, match.getStart());
            }
            end = Math.max(end, match.getEnd());
            shown = end + 1;
        }
        return redacted.append(REDACTED).append(text, shown, text.length()).toString();
    }

    /** Error text with every remembered secret value and every credential-shaped string replaced. */
    public String redactError(String text) {
        return text == null ? null : CREDENTIAL_SHAPES.matcher(redact(text)).replaceAll(REDACTED);
    }
}
