package dev.botfleet.runtime.llm;

import com.fasterxml.jackson.core.JsonParseException;
import dev.botfleet.api.ProviderTarget;
import io.netty.handler.timeout.ReadTimeoutException;
import org.junit.jupiter.api.Test;
import org.springframework.core.codec.DecodingException;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.client.WebClientResponseException;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

import static org.assertj.core.api.Assertions.assertThat;

/** How each way a provider can fail becomes what the Poe user reads and whether a retry may help. */
class UpstreamFailureMappingTest {

    private static final ProviderTarget TARGET = new ProviderTarget("openai", "gpt-4o");

    private static WebClientResponseException response(int status, String body, HttpHeaders headers) {
        return WebClientResponseException.create(status, HttpStatus.valueOf(status).getReasonPhrase(), headers,
                body.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    }

    @Test
    void theProvidersOwnExplanationOfAClientErrorReachesTheUser() {
        for (int status : new int[] {400, 404, 422}) {
            UpstreamFailure failure = UpstreamFailure.of(response(status,
                    "{\"error\": {\"message\": \"The model 'gpt-5' does not exist\"}}", new HttpHeaders()), TARGET);
            assertThat(failure.getMessage()).as("status %d", status)
                    .isEqualTo("openai/gpt-4o: HTTP " + status + " The model 'gpt-5' does not exist");
            assertThat(failure.retryable()).isFalse();
            assertThat(failure.reason()).isEqualTo("http_" + status);
        }
    }

    @Test
    void aLongExplanationIsCutAt300Characters() {
        String message = "x".repeat(400);
        UpstreamFailure failure = UpstreamFailure.of(response(400, "{\"error\": {\"message\": \"" + message + "\"}}",
                new HttpHeaders()), TARGET);
        assertThat(failure.getMessage()).endsWith("x".repeat(300) + "…").doesNotContain("x".repeat(301));
    }

    @Test
    void aBodyThatIsNotJsonIsTheExplanation() {
        UpstreamFailure failure = UpstreamFailure.of(response(404, "no such route", new HttpHeaders()), TARGET);
        assertThat(failure.getMessage()).endsWith("HTTP 404 no such route");
    }

    @Test
    void retryAfterIsReadAsSecondsAndAsAnHttpDate() {
        HttpHeaders seconds = new HttpHeaders();
        seconds.add(HttpHeaders.RETRY_AFTER, "2.5");
        assertThat(UpstreamFailure.of(response(429, "{}", seconds), TARGET).retryAfter())
                .hasValue(Duration.ofMillis(2500));

        HttpHeaders date = new HttpHeaders();
        date.add(HttpHeaders.RETRY_AFTER, DateTimeFormatter.RFC_1123_DATE_TIME
                .format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(30)));
        assertThat(UpstreamFailure.of(response(503, "{}", date), TARGET).retryAfter()).hasValueSatisfying(wait ->
                assertThat(wait).isBetween(Duration.ofSeconds(25), Duration.ofSeconds(31)));

        HttpHeaders past = new HttpHeaders();
        past.add(HttpHeaders.RETRY_AFTER, "Wed, 21 Oct 2015 07:28:00 GMT");
        assertThat(UpstreamFailure.of(response(503, "{}", past), TARGET).retryAfter()).hasValue(Duration.ZERO);
    }

    @Test
    void serverErrorsAndRateLimitsMayPassClientErrorsMayNot() {
        assertThat(UpstreamFailure.of(response(500, "{}", new HttpHeaders()), TARGET).retryable()).isTrue();
        assertThat(UpstreamFailure.of(response(429, "{}", new HttpHeaders()), TARGET).retryable()).isTrue();
        assertThat(UpstreamFailure.of(response(401, "{}", new HttpHeaders()), TARGET).retryable()).isFalse();
        assertThat(UpstreamFailure.of(response(403, "{}", new HttpHeaders()), TARGET).retryable()).isFalse();
    }

    @Test
    void malformedStreamsOversizedEventsAndTimeoutsAreTold() {
        UpstreamFailure malformed = UpstreamFailure.of(new DecodingException("bad chunk",
                new JsonParseException(null, "unexpected character")), TARGET);
        assertThat(malformed.reason()).isEqualTo("protocol");
        assertThat(malformed.getMessage()).contains("malformed stream");
        assertThat(malformed.retryable()).isTrue();

        UpstreamFailure oversized = UpstreamFailure.of(new DecodingException("too big",
                new DataBufferLimitException("Exceeded limit on max bytes to buffer")), TARGET);
        assertThat(oversized.reason()).isEqualTo("protocol");
        assertThat(oversized.getMessage()).contains("larger than the runtime accepts");
        assertThat(oversized.retryable()).isFalse();

        UpstreamFailure timeout = UpstreamFailure.of(ReadTimeoutException.INSTANCE, TARGET);
        assertThat(timeout.reason()).isEqualTo("timeout");
        assertThat(timeout.retryable()).isTrue();
    }

    @Test
    void wrappedFailuresAreUnwrappedAndConnectionAndTlsFailuresNamed() {
        UpstreamFailure inner = UpstreamFailure.of(response(500, "{}", new HttpHeaders()), TARGET);
        assertThat(UpstreamFailure.of(new java.util.concurrent.CompletionException(
                new java.util.concurrent.ExecutionException(inner)), TARGET)).isSameAs(inner);

        UpstreamFailure tls = UpstreamFailure.of(new IllegalStateException("handshake",
                new javax.net.ssl.SSLHandshakeException("PKIX path building failed")), TARGET);
        assertThat(tls.reason()).isEqualTo("tls");
        assertThat(tls.retryable()).isFalse();
        assertThat(tls.getMessage()).contains("PKIX path building failed");

        UpstreamFailure refused = UpstreamFailure.of(new IllegalStateException("io",
                new java.net.ConnectException("Connection refused")), TARGET);
        assertThat(refused.reason()).isEqualTo("connection");
        assertThat(refused.retryable()).isTrue();
        assertThat(refused.getMessage()).contains("cannot reach the provider (ConnectException: Connection refused)");

        assertThat(UpstreamFailure.of(new IllegalArgumentException("odd"), TARGET).reason()).isEqualTo("unexpected");
    }

    @Test
    void aMessageOfExactly300CharactersIsKeptWhole() {
        String message = "y".repeat(300);
        UpstreamFailure failure = UpstreamFailure.of(response(422, "{\"error\": {\"message\": \"" + message
                + "\"}}", new HttpHeaders()), TARGET);
        assertThat(failure.getMessage()).endsWith(message).doesNotEndWith("…");
        UpstreamFailure structured = UpstreamFailure.of(response(422, "{\"error\": {\"message\": {\"x\": 1}}}",
                new HttpHeaders()), TARGET);
        assertThat(structured.getMessage()).endsWith("{\"error\": {\"message\": {\"x\": 1}}}");
    }
}
