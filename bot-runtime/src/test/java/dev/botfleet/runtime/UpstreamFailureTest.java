package dev.botfleet.runtime;

import dev.botfleet.testing.FakeOpenAiServer.Reply;
import dev.botfleet.testing.FakeOpenAiServer;
import dev.botfleet.runtime.poe.UserError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a Poe caller sees when the provider fails (an error in the user's terms), what the owner's log says of it,
 * and what the provider sees of retries and cancellation.
 */
@ExtendWith(OutputCaptureExtension.class)
class UpstreamFailureTest extends RuntimeTestBase {

    private SseEvents.Event lastError(List<SseEvents.Event> events) {
        assertThat(SseEvents.names(events)).as(events.toString()).endsWith("error", "done");
        return events.get(events.size() - 2);
    }

    @Test
    void rejectedKeyIsNotRetriedAndTellsTheOwnerWhatToCheck(CapturedOutput output) {
        UPSTREAM.enqueue(Reply.status(401));
        List<SseEvents.Event> events = poe.ask("open", "hi");

        assertTold(lastError(events), UserError.BOT_UNAVAILABLE);
        assertThat(ownerLog(output, "open")).contains("WARN", "message m-test", "bot_unavailable", "HTTP 401",
                "apiKeySecretRef").doesNotContain(UPSTREAM_KEY);
        assertThat(UPSTREAM.requests()).hasSize(1);
    }

    @Test
    void aProviderQuotingTheKeyOrAnyBearerTokenHasItRedactedInTheOwnersLogAndNeverReachesPoe(CapturedOutput output) {
        UPSTREAM.enqueue(Reply.error(400, "Incorrect API key provided: " + UPSTREAM_KEY + "; header was "
                + "'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig' and key sk-proj-unknownKey0123456789",
                Map.of()));
        SseEvents.Event error = lastError(poe.ask("open", "hi"));

        assertTold(error, UserError.PROVIDER_REFUSED);
        assertThat(ownerLog(output, "open")).contains("HTTP 400", "Incorrect API key provided: [redacted]",
                        "Bearer [redacted]", "key [redacted]")
                .doesNotContain(UPSTREAM_KEY, "eyJhbGciOiJIUzI1NiJ9", "unknownKey0123456789");
    }

    @Test
    void anEmptyAnswerIsAnErrorThatAllowsARetryNotASilentSuccess() {
        double before = upstreamErrors("fake", "empty");
        UPSTREAM.enqueue(Reply.chunks());
        List<SseEvents.Event> events = poe.ask("open", "hi");

        assertThat(upstreamErrors("fake", "empty")).isEqualTo(before + 1);
        assertThat(SseEvents.names(events)).containsExactly("error", "done");
        assertTold(events.get(0), UserError.EMPTY_ANSWER);
    }

    @Test
    void clientErrorsAreFinal(CapturedOutput output) {
        Map<Integer, UserError> told = Map.of(400, UserError.PROVIDER_REFUSED, 422, UserError.PROVIDER_REFUSED,
                403, UserError.BOT_UNAVAILABLE, 404, UserError.BOT_UNAVAILABLE);
        told.forEach((status, expected) -> {
            UPSTREAM.reset();
            UPSTREAM.enqueue(Reply.status(status));
            assertTold(lastError(poe.ask("open", "hi")), expected);
            assertThat(ownerLog(output, "open")).contains("HTTP " + status);
            assertThat(UPSTREAM.requests()).as("status %d", status).hasSize(1);
        });
    }

    @Test
    void serverErrorsAreRetriedWithBackoffThenReportedAsRetryable(CapturedOutput output) {
        UPSTREAM.enqueue(Reply.status(503), Reply.status(502), Reply.status(500));
        SseEvents.Event error = lastError(poe.ask("open", "hi"));

        assertTold(error, UserError.PROVIDER_UNAVAILABLE);
        assertThat(ownerLog(output, "open")).contains("HTTP 500");
        assertThat(UPSTREAM.requests()).as("one try and maxRetries=2 retries").hasSize(3);
    }

    @Test
    void aRetryThatSucceedsAnswersNormally() {
        UPSTREAM.enqueue(Reply.status(429), Reply.chunks("second ", "time"));
        List<SseEvents.Event> events = poe.ask("open", "hi");

        assertThat(SseEvents.names(events)).doesNotContain("error");
        assertThat(SseEvents.answer(events)).isEqualTo("second time");
        assertThat(UPSTREAM.requests()).hasSize(2);
    }

    @Test
    void retryAfterIsHonoured() {
        UPSTREAM.enqueue(Reply.status(429, Map.of("Retry-After", "1")), Reply.chunks("ok"));
        long start = System.nanoTime();
        List<SseEvents.Event> events = poe.ask("open", "hi");
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(SseEvents.answer(events)).isEqualTo("ok");
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(950));
    }

    @Test
    void fallbackAnswersWhenThePrimaryKeepsFailingBeforeTheFirstToken() {
        UPSTREAM.enqueue(Reply.status(503), Reply.status(503), Reply.status(503), Reply.chunks("from ", "backup"));
        List<SseEvents.Event> events = poe.ask("resilient", "hi");

        assertThat(SseEvents.answer(events)).isEqualTo("from backup");
        List<FakeOpenAiServer.RecordedRequest> requests = UPSTREAM.requests();
        assertThat(requests).hasSize(4);
        assertThat(requests.get(0).body().path("model").asText()).isEqualTo("m-primary");
        assertThat(requests.get(0).header("Authorization")).isEqualTo("Bearer " + UPSTREAM_KEY);
        assertThat(requests.get(3).body().path("model").asText()).isEqualTo("m-backup");
        assertThat(requests.get(3).header("Authorization")).as("the backup provider has no key").isNull();
    }

    @Test
    void whenEveryProviderFailsTheOwnersLogNamesEachAttempt(CapturedOutput output) {
        UPSTREAM.enqueue(Reply.status(401), Reply.status(503));
        SseEvents.Event error = lastError(poe.ask("resilient", "hi"));

        assertTold(error, UserError.PROVIDER_UNAVAILABLE);
        assertThat(error.data().path("allow_retry").asBoolean()).as("the backup's failure may pass").isTrue();
        assertThat(ownerLog(output, "resilient")).contains("fake/", "HTTP 401", "fake-backup/", "HTTP 503");
    }

    @Test
    void theUserIsToldInTheLanguageOfTheirClient() {
        UPSTREAM.enqueue(Reply.status(429), Reply.status(429), Reply.status(429));
        SseEvents.Event error = lastError(poe.ask("open", PoeClient.query("hi").put("language_code", "ja")));
        assertThat(error.text()).isEqualTo(UserError.PROVIDER_BUSY.in("ja").text()).startsWith("ボット");
    }

    @Test
    void aProviderThatStallsMidStreamEndsTheAnswerWithErrorThenDone(CapturedOutput output) {
        CountDownLatch never = new CountDownLatch(1);
        UPSTREAM.enqueue(Reply.stallAfter(never, "partial ", "answer"));
        List<SseEvents.Event> events = poe.ask("open", "hi");
        never.countDown();

        assertThat(SseEvents.answer(events)).isEqualTo("partial answer");
        assertTold(lastError(events), UserError.ANSWER_CUT_SHORT);
        assertThat(ownerLog(output, "open")).contains("timeout", "after text had streamed");
        assertThat(UPSTREAM.requests()).as("no retry once text has streamed").hasSize(1);
    }

    @Test
    void longSilencesAreFilledWithKeepAliveComments() {
        CountDownLatch release = new CountDownLatch(1);
        UPSTREAM.enqueue(Reply.stallAfter(release, "wait"));
        String wire = poe.post("/bots/open", PoeClient.query("hi")).body();
        release.countDown();

        assertThat(wire).contains(": ping");
        assertThat(SseEvents.names(SseEvents.parse(wire))).endsWith("error", "done");
    }

    @Test
    void malformedChunkAfterTextEndsWithError(CapturedOutput output) {
        UPSTREAM.enqueue(Reply.malformedAfter("half"));
        List<SseEvents.Event> events = poe.ask("open", "hi");
        assertThat(SseEvents.answer(events)).isEqualTo("half");
        assertTold(lastError(events), UserError.ANSWER_CUT_SHORT);
        assertThat(ownerLog(output, "open")).contains("malformed stream");
    }

    @Test
    void anErrorObjectInTheStreamIsRetriedBeforeTextAndReportedAfterIt(CapturedOutput output) {
        double before = upstreamErrors("fake", "stream_error");
        UPSTREAM.enqueue(Reply.errorEventAfter("the model is overloaded"), Reply.chunks("second time"));
        assertThat(SseEvents.answer(poe.ask("open", "hi"))).isEqualTo("second time");

        UPSTREAM.enqueue(Reply.errorEventAfter("the model is overloaded", "half"));
        List<SseEvents.Event> events = poe.ask("open", "hi");
        assertThat(SseEvents.answer(events)).isEqualTo("half");
        assertTold(lastError(events), UserError.ANSWER_CUT_SHORT);
        assertThat(ownerLog(output, "open"))
                .contains("the provider reported an error mid-stream: the model is overloaded");
        assertThat(upstreamErrors("fake", "stream_error")).isEqualTo(before + 2);
    }

    @Test
    void answersOneAfterAnotherReuseTheUpstreamConnection() throws InterruptedException {
        UPSTREAM.reset();
        for (int i = 0; i < 5; i++) {
            UPSTREAM.enqueue(Reply.chunks("answer " + i));
            assertThat(SseEvents.answer(poe.ask("open", "hi"))).isEqualTo("answer " + i);
            // The connection returns to the pool just after the answer's last event leaves; a question asked in
            // that instant would rightly open a second one.
            Thread.sleep(50);
        }
        assertThat(UPSTREAM.requests().stream().map(FakeOpenAiServer.RecordedRequest::clientPort).distinct())
                .hasSize(1);
    }

    @Test
    void streamEndingWithoutFinishIsNotPassedOffAsComplete(CapturedOutput output) {
        double before = upstreamErrors("fake", "truncated");
        UPSTREAM.enqueue(Reply.truncatedAfter("trunc"));
        List<SseEvents.Event> events = poe.ask("open", "hi");
        assertThat(SseEvents.answer(events)).isEqualTo("trunc");
        assertTold(lastError(events), UserError.ANSWER_CUT_SHORT);
        assertThat(ownerLog(output, "open")).contains("ended before the answer was complete");
        assertThat(upstreamErrors("fake", "truncated")).isEqualTo(before + 1);
    }

    @Test
    void connectionRefusedIsRetriedThenReported(CapturedOutput output) throws Exception {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        write(MANIFESTS, fleet(UPSTREAM.baseUrl()).replaceFirst("baseUrl: \\S+\n  apiKeySecretRef: \\{name: fake-key",
                "baseUrl: http://127.0.0.1:" + closedPort + "/v1\n  apiKeySecretRef: {name: fake-key"));
        try {
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                assertTold(lastError(poe.ask("open", "hi")), UserError.PROVIDER_UNAVAILABLE);
                assertThat(ownerLog(output, "open")).contains("cannot reach the provider");
            });
        } finally {
            write(MANIFESTS, fleet(UPSTREAM.baseUrl()));
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(SseEvents.names(poe.ask("open", "hi"))).doesNotContain("error"));
        }
    }

    @Test
    void whenPoeHangsUpTheUpstreamRequestIsCancelled() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        UPSTREAM.enqueue(Reply.stallAfter(release, "first"));
        try (InputStream body = poe.open("open", PoeClient.query("hi"))) {
            BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null && !line.contains("first")) {
                // read until the first text has arrived
            }
        }
        release.countDown();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(UPSTREAM.abortedStreams()).isEqualTo(1));
    }

    @Test
    void aBotWhoseProviderIsMissingSaysSoWhileOthersKeepWorking(CapturedOutput output) {
        assertTold(lastError(poe.ask("orphan", "hi")), UserError.BOT_UNAVAILABLE);
        assertThat(ownerLog(output, "orphan")).contains("LLMProvider 'nope' does not exist");
        assertThat(SseEvents.names(poe.ask("open", "hi"))).doesNotContain("error");
        assertThat(UPSTREAM.requests()).hasSize(1);
    }

    @Test
    void aMissingKeyNamesWhereToPutItInTheOwnersLog(CapturedOutput output) {
        double before = upstreamErrors("keyless", "configuration");
        SseEvents.Event error = lastError(poe.ask("unkeyed", "hi"));
        assertThat(upstreamErrors("keyless", "configuration")).isEqualTo(before + 1);
        assertTold(error, UserError.BOT_UNAVAILABLE);
        assertThat(error.text()).doesNotContain("NOT_THERE_API_KEY");
        assertThat(ownerLog(output, "unkeyed")).contains("NOT_THERE_API_KEY").contains("not-there/api-key");
        assertThat(UPSTREAM.requests()).isEmpty();
    }
}
