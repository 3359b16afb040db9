package dev.botfleet.runtime.poe;

import java.text.MessageFormat;
import java.util.IllformedLocaleException;
import java.util.Locale;
import java.util.ResourceBundle;

/**
 * The texts a Poe user reads, in the language of their client ({@code language_code}) where the catalogue has it,
 * in English otherwise. They live in {@code texts*.properties} beside this class, one file per language.
 */
public final class UserTexts {

    static final String BUNDLE = "dev.botfleet.runtime.poe.texts";
    // Without this control a missing language would fall back to the JVM's default locale before English.
    private static final ResourceBundle.Control ENGLISH_FALLBACK =
            ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES);
    private static final long MEBIBYTE = 1024 * 1024;

    private UserTexts() {
    }

    /** The text under {@code key} in {@code languageCode} (BCP 47, as Poe sends it), its arguments filled in. */
    public static String text(String key, String languageCode, Object... arguments) {
        Locale locale = locale(languageCode);
        ResourceBundle texts = ResourceBundle.getBundle(BUNDLE, locale, UserTexts.class.getClassLoader(),
                ENGLISH_FALLBACK);
        return new MessageFormat(texts.getString(key), locale).format(arguments);
    }

    /** A size in bytes as a person reads it: "5 MB", "512 KB", in the language's units. */
    public static String size(long bytes, String languageCode) {
        return bytes >= MEBIBYTE
                ? text("size_megabytes", languageCode, (double) bytes / MEBIBYTE)
                : text("size_kilobytes", languageCode, bytes / 1024);
    }

    static Locale locale(String languageCode) {
        try {
            return new Locale.Builder().setLanguageTag(languageCode == null ? "" : languageCode).build();
        } catch (IllformedLocaleException malformed) {
            return Locale.ROOT;
        }
    }
}
