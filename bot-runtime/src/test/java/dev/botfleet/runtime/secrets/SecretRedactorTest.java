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

    @Test
    void everyValueIsRedactedWhereverItStandsOverlappingOrRepeated() {
        redactor.remember("sk-first-0123");
        redactor.remember("first-0123-tail");
        redactor.remember("second-4567");
        redactor.remember("second-4567");
        assertThat(redactor.redact("a sk-first-0123 b second-4567second-4567 c"))
                .isEqualTo("a [redacted] b [redacted][redacted] c");
        assertThat(redactor.redact("x sk-first-0123-tail y")).as("overlapping values: no part left showing")
                .doesNotContain("first").startsWith("x [redacted]");
        assertThat(redactor.redact("nothing secret here")).isEqualTo("nothing secret here");
    }

    @Test
    void aValueRememberedAtOnceByManyThreadsIsRedactedForAllOfThem() throws Exception {
        var threads = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            var seen = new java.util.ArrayList<java.util.concurrent.Future<String>>();
            for (int i = 0; i < 200; i++) {
                String value = "secret-value-" + (i % 20);
                seen.add(threads.submit(() -> redactor.redact("key " + redactor.remember(value))));
            }
            for (var future : seen) {
                assertThat(future.get()).isEqualTo("key [redacted]");
            }
        } finally {
            threads.shutdownNow();
        }
    }
}
