package dev.botfleet.runtime.poe;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.MessageFormat;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Every translation of the user texts is complete, formats, and is chosen by Poe's language_code. */
class UserTextsTest {

    /** The catalogue's files, by language ("" for English). */
    private static Map<String, Properties> catalogue() {
        try {
            Path dir = Path.of(UserTexts.class.getResource("texts.properties").toURI()).getParent();
            Map<String, Properties> languages = new TreeMap<>();
            try (Stream<Path> files = Files.list(dir)) {
                files.map(Path::getFileName).map(Path::toString).filter(n -> n.matches("texts(_\\w+)?\\.properties"))
                        .forEach(name -> languages.put(name.replaceAll("texts_?|\\.properties", ""),
                                load(dir.resolve(name))));
            }
            return languages;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Properties load(Path file) {
        Properties texts = new Properties();
        try (InputStream in = Files.newInputStream(file);
             var reader = new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8)) {
            texts.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return texts;
    }

    @Test
    void everyLanguageHasEveryTextWithTheSameArguments() {
        Map<String, Properties> catalogue = catalogue();
        Properties english = catalogue.get("");
        assertThat(catalogue.keySet()).contains("", "de", "es", "fr", "ja", "pt");
        catalogue.forEach((language, texts) -> {
            assertThat(texts.stringPropertyNames()).as(language).isEqualTo(english.stringPropertyNames());
            for (String key : english.stringPropertyNames()) {
                String pattern = texts.getProperty(key);
                assertThat(pattern).as("%s %s: write apostrophes as ’", language, key).doesNotContain("'");
                assertThat(new MessageFormat(pattern).getFormatsByArgumentIndex())
                        .as("%s %s takes the English text's arguments", language, key)
                        .hasSameSizeAs(new MessageFormat(english.getProperty(key)).getFormatsByArgumentIndex());
                MessageFormat format = new MessageFormat(pattern, Locale.forLanguageTag(language));
                int arguments = format.getFormatsByArgumentIndex().length;
                for (int argument : List.of(1, 3)) {
                    Object[] values = java.util.Collections.nCopies(Math.max(1, arguments), argument).toArray();
                    assertThat(format.format(values)).as("%s %s", language, key).doesNotContain("{", "}")
                            .isNotBlank();
                }
            }
        });
    }

    @Test
    void everyUserErrorAndLimitHasItsText() {
        Properties english = catalogue().get("");
        Arrays.stream(UserError.values()).forEach(error -> assertThat(english).containsKey(error.key()));
    }

    @Test
    void theLanguageCodeChoosesTheTranslationAndEnglishIsTheFallback() {
        String english = UserTexts.text("server_restarting", "en");
        assertThat(english).isEqualTo("The bot’s server is restarting. Please try again.");
        assertThat(UserTexts.text("server_restarting", "de")).startsWith("Der Server des Bots");
        assertThat(UserTexts.text("server_restarting", "fr-CA")).as("a region falls back to its language")
                .startsWith("Le serveur du bot");
        assertThat(UserTexts.text("server_restarting", "pt-BR")).startsWith("O servidor do bot");
        for (String other : new String[] {"zh-Hans", "sw", "", "not a tag!", null}) {
            assertThat(UserTexts.text("server_restarting", other)).as(other).isEqualTo(english);
        }
    }

    @Test
    void theJvmsOwnLocaleNeverStandsInForEnglish() {
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMAN);
            assertThat(UserTexts.text("server_restarting", "sw")).startsWith("The bot’s server");
        } finally {
            Locale.setDefault(before);
        }
    }

    @Test
    void argumentsAreFilledInWithPluralsAndSizesInTheLanguagesUnits() {
        assertThat(UserTexts.text("too_many_at_once", "en", 1)).contains("an answer from").contains("for it");
        assertThat(UserTexts.text("too_many_at_once", "en", 3)).contains("3 answers").contains("one of them");
        assertThat(UserTexts.text("too_fast", "en", 1200)).contains("1,200 a minute");
        assertThat(UserTexts.text("too_fast", "de", 1200)).contains("1.200 pro Minute");
        assertThat(UserTexts.size(5 * 1024 * 1024, "en")).isEqualTo("5 MB");
        assertThat(UserTexts.size(2048, "en")).isEqualTo("2 KB");
        assertThat(UserTexts.size(1536 * 1024, "fr")).isEqualTo("1,5 Mo");
    }

    @Test
    void anErrorCarriesItsRetryAndPoesErrorType() {
        assertThat(UserError.MESSAGE_TOO_LONG.in("en").errorType()).isEqualTo("user_message_too_long");
        assertThat(UserError.MESSAGE_TOO_LONG.in("en").allowRetry()).isFalse();
        assertThat(UserError.IMAGE_TOO_LARGE.in("en", "5 MB").errorType()).isEqualTo("user_caused_error");
        assertThat(UserError.NOT_AN_IMAGE.in("en").errorType()).isEqualTo("user_caused_error");
        assertThat(UserError.PROVIDER_UNAVAILABLE.in("en").allowRetry()).isTrue();
        assertThat(UserError.MESSAGE_TOO_LONG.causedByUser()).isTrue();
        assertThat(UserError.PROVIDER_UNAVAILABLE.causedByUser()).isFalse();
        assertThat(UserError.BOT_BUSY.allowRetry()).isTrue();
        assertThat(UserError.TOO_FAST.allowRetry()).isFalse();
        assertThat(UserError.PROVIDER_UNAVAILABLE.in("en").errorType()).isNull();
        assertThat(UserError.IMAGE_TOO_LARGE.in("es", "5 MB").text()).contains("hasta 5 MB");
    }
}
