package dev.botfleet.runtime.secrets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SecretRedactorTest {

    private final SecretRedactor redactor = new SecretRedactor();

    @Test
    void valuesOfSixCharactersOrMoreAreRedactedShorterOnesWouldHitOrdinaryWords() {
        redactor.remember("abcdef");
        redactor.remember("abcde");
        redactor.remember(null);
        assertThat(redactor.redact("abcdef and abcde")).isEqualTo("[redacted] and abcde");
    }

    @Test
    void nothingStaysNothing() {
        assertThat(redactor.redact(null)).isNull();
        assertThat(redactor.redactError(null)).isNull();
        assertThat(redactor.remember("sk-returned-as-is")).isEqualTo("sk-returned-as-is");
    }

    @Test
    void credentialShapesAreRedactedFromErrorsOnly() {
        String text = "bearer abcdefgh12, sk-abcdefghijkl, AIzaSyA-0123456789abcdefghij, Bearer short";
        assertThat(redactor.redactError(text))
                .isEqualTo("bearer [redacted], [redacted], [redacted], Bearer short");
        assertThat(redactor.redact(text)).isEqualTo(text);
    }
}
