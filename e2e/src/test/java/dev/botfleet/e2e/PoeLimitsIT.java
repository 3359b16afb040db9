package dev.botfleet.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.botfleet.testing.FakeOpenAiServer;
import dev.botfleet.testing.FakeOpenAiServer.Reply;
import dev.botfleet.testing.RuntimeProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Poe's limits on a bot server, held by the packaged runtime and seen through Poe's own client (fastapi_poe): the
 * response starts at once however slow the provider, an error that allows a retry is still retried after the
 * keep-alives that preceded it, long answers fit the event and character limits, an answer that runs too long ends
 * with a notice, and the user's own errors carry Poe's error types in the user's language. The runtime here ends
 * answers at 12 s instead of Poe's 600, so that the time limit can be watched.
 */
@Order(13)
class PoeLimitsIT {

    private static final Duration MAX_DURATION = Duration.ofSeconds(12);
    private static final String KEY = "a-key-the-open-bots-ignore";
    private static final String TIME_NOTICE = "(The answer stops here: it took as long as Poe allows an answer to take.)";
    private static final String LENGTH_NOTICE = "(The answer stops here: it reached the longest answer Poe allows.)";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static FakeOpenAiServer upstream;
    private static HttpServer images;
    private static RuntimeProcess runtime;
    private static String baseUrl;

    @BeforeAll
    static void start() throws Exception {
        upstream = new FakeOpenAiServer();
        images = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        images.createContext("/big.png", exchange -> {
            byte[] png = new byte[4096];
            png[0] = (byte) 0x89;
            png[1] = 'P';
            png[2] = 'N';
            png[3] = 'G';
            exchange.getResponseHeaders().add("Content-Type", "image/png");
            exchange.sendResponseHeaders(200, png.length);
            exchange.getResponseBody().write(png);
            exchange.close();
        });
        images.start();
        Path manifests = Files.createTempFile(Files.createDirectories(ControlPlane.WORK), "limits", ".yaml");
        Files.writeString(manifests, """
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMProvider
                metadata: {name: fake}
                spec: {baseUrl: '%1$s', defaultModel: fake-model, maxRetries: 0, timeout: 5s}
                ---
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMProvider
                metadata: {name: thinking}
                spec: {baseUrl: '%1$s', defaultModel: reasoning-model, maxRetries: 0, timeout: 30s}
                ---
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {name: open}
                spec: {providerRef: {name: fake}}
                ---
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {name: patient}
                spec: {providerRef: {name: thinking}}
                ---
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {name: terse}
                spec: {providerRef: {name: fake}, model: gpt-4o-mini, maxInputTokens: 16,
                       systemPrompt: "Answer every question with a long and careful explanation of each step."}
                ---
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {name: vision}
                spec: {providerRef: {name: fake}, images: {delivery: inline, maxBytes: 1024}}
                """.formatted(upstream.baseUrl()));
        runtime = RuntimeProcess.start(manifests, List.of("-Xmx256m"), List.of("-jar",
                ControlPlane.REPO.resolve("bot-runtime/target/bot-runtime.jar").toString(),
                "--botfleet.poe.max-duration=" + MAX_DURATION.toSeconds() + "s",
                // The test's image server is on loopback.
                "--botfleet.fetch-images-from-private-addresses=true"));
        baseUrl = runtime.botUrl("");
    }

    @AfterAll
    static void stop() throws Exception {
        runtime.close();
        upstream.close();
        images.stop(0);
    }

    @BeforeEach
    void resetUpstream() {
        upstream.reset();
    }

    /** A reasoning model that thinks for 8 s before its first token: Poe gives the server 5 s to start. */
    @Test
    void theResponseStartsAtOnceWhileTheProviderIsStillSilent() throws Exception {
        upstream.enqueue(Reply.silentFor(Duration.ofSeconds(8), "after ", "thinking"));
        long sent = System.nanoTime();
        HttpResponse<InputStream> response = HTTP.send(query("patient"), HttpResponse.BodyHandlers.ofInputStream());
        long headersMillis = (System.nanoTime() - sent) / 1_000_000;
        try (InputStream body = response.body()) {
            int first = body.read();
            long firstByteMillis = (System.nanoTime() - sent) / 1_000_000;
            String rest = new String(body.readAllBytes(), StandardCharsets.UTF_8);
            long answeredMillis = (System.nanoTime() - sent) / 1_000_000;
            System.out.printf("8 s silent provider: headers after %d ms, first byte after %d ms, answer after %d ms%n",
                    headersMillis, firstByteMillis, answeredMillis);

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(headersMillis).as("status line and headers").isLessThan(1_000);
            assertThat(firstByteMillis).as("a comment, which Poe counts as the response starting").isLessThan(1_000);
            assertThat((char) first).isEqualTo(':');
            String beforeFirstEvent = rest.substring(0, rest.indexOf("event:"));
            assertThat(beforeFirstEvent.split(": ping", -1).length - 1).as("keep-alives while the provider thinks")
                    .isGreaterThanOrEqualTo(2);
            assertThat(answeredMillis).isGreaterThanOrEqualTo(8_000);
            assertThat(rest).contains("{\"text\":\"after \"}").contains("thinking")
                    .endsWith("event: done\r\ndata: {}\r\n\r\n");
        }
    }

    /**
     * fastapi_poe retries an error that allows it only when it yielded nothing before; comments are not yielded, so
     * an error that follows seconds of keep-alives is still retried.
     */
    @Test
    void anErrorThatAllowsARetryAfterKeepAlivesIsStillRetriedByPoesClient() throws Exception {
        Reply failsAfterThinking = (exchange, request) -> {
            sleep(Duration.ofSeconds(4));
            Reply.status(503).serve(exchange, request);
        };
        upstream.enqueue(failsAfterThinking);
        String wire = HTTP.send(query("patient"), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(wire).startsWith(": ping\r\n\r\n: ping\r\n\r\n").contains("\"allow_retry\":true")
                .doesNotContain("event: meta");

        upstream.reset();
        upstream.enqueue(failsAfterThinking, Reply.chunks("second ", "try"));
        JsonNode seen = FastapiPoeClient.run("query", baseUrl, "patient", KEY, "hi");

        assertThat(seen.path("error").isNull()).as(seen.toString()).isTrue();
        assertThat(FastapiPoeClient.text(seen)).isEqualTo("second try");
        assertThat(seen.path("failed_tries").asInt()).isEqualTo(1);
        assertThat(upstream.requests()).hasSize(2);
    }

    @Test
    void aTwelveThousandDeltaAnswerArrivesWholeWithinPoesEventLimit() throws IOException {
        String[] deltas = IntStream.range(0, 12_000).mapToObj(i -> "w" + i + " ").toArray(String[]::new);
        upstream.enqueue(Reply.chunks(deltas));
        JsonNode seen = FastapiPoeClient.run("query", baseUrl, "open", KEY, "a long one");

        assertThat(seen.path("error").isNull()).as(seen.path("error").toString()).isTrue();
        assertThat(FastapiPoeClient.text(seen)).isEqualTo(String.join("", deltas));
        List<String> kinds = FastapiPoeClient.kinds(seen);
        System.out.printf("12,000 provider deltas became %d text events%n", kinds.size());
        assertThat(kinds).hasSizeLessThan(10_000).containsOnly("text");
    }

    @Test
    void anAnswerOverTheCharacterLimitEndsWithANoticeNotAnError() throws IOException {
        String[] chunks = new String[1_200];
        Arrays.fill(chunks, "0123456789".repeat(10));
        upstream.enqueue(Reply.chunks(chunks));
        JsonNode seen = FastapiPoeClient.run("query", baseUrl, "open", KEY, "go on and on");

        assertThat(seen.path("error").isNull()).as(seen.path("error").toString()).isTrue();
        String text = FastapiPoeClient.text(seen);
        assertThat(text.codePointCount(0, text.length())).isLessThanOrEqualTo(100_000).isGreaterThan(99_000);
        assertThat(text).startsWith("0123456789").endsWith("\n\n" + LENGTH_NOTICE);
    }

    @Test
    void anAnswerThatRunsPastTheTimeLimitEndsWithANoticeAndTheProviderIsCutOff() throws IOException {
        String[] words = IntStream.range(0, 60).mapToObj(i -> "w" + i + " ").toArray(String[]::new);
        upstream.enqueue(Reply.stream(Duration.ofMillis(500), words));
        long sent = System.nanoTime();
        JsonNode seen = FastapiPoeClient.run("query", baseUrl, "patient", KEY, "take your time");
        long tookMillis = (System.nanoTime() - sent) / 1_000_000;

        assertThat(seen.path("error").isNull()).as(seen.path("error").toString()).isTrue();
        assertThat(FastapiPoeClient.text(seen)).startsWith("w0 w1 ").endsWith("\n\n" + TIME_NOTICE);
        assertThat(tookMillis).isBetween(MAX_DURATION.toMillis() - 1_000, MAX_DURATION.toMillis() + 5_000);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(upstream.abortedStreams()).isEqualTo(1));
    }

    @Test
    void aMessageTooLongForTheBotIsUserMessageTooLongInTheUsersLanguage() throws IOException {
        JsonNode seen = FastapiPoeClient.run("query", baseUrl, "terse", KEY, "Hallo", "--language", "de");

        assertThat(seen.path("error").path("type").asText()).isEqualTo("BotErrorNoRetry");
        assertThat(seen.path("error").path("message").asText()).contains("\"error_type\":\"user_message_too_long\"")
                .contains("Deine Nachricht ist für diesen Bot zu lang");
        assertThat(upstream.requests()).as("no provider is asked").isEmpty();
    }

    @Test
    void anImageTooLargeForTheBotIsAUserCausedError() throws IOException {
        String url = "http://127.0.0.1:" + images.getAddress().getPort() + "/big.png";
        JsonNode seen = FastapiPoeClient.run("query", baseUrl, "vision", KEY, "What is this?", "--image", url,
                "big.png");

        assertThat(seen.path("error").path("type").asText()).isEqualTo("BotErrorNoRetry");
        assertThat(seen.path("error").path("message").asText()).contains("\"error_type\":\"user_caused_error\"")
                .contains("up to 1 KB");
        assertThat(upstream.requests()).isEmpty();
    }

    private static HttpRequest query(String bot) {
        return HttpRequest.newBuilder(URI.create(runtime.botUrl(bot)))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"version": "1.2", "type": "query", "user_id": "u", "conversation_id": "c",
                         "message_id": "m", "query": [{"role": "user", "content": "think hard"}]}"""))
                .build();
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
