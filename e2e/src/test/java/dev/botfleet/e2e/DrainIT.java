package dev.botfleet.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.botfleet.testing.FakeOpenAiServer;
import dev.botfleet.testing.RuntimeProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged runtime stopped with a real SIGTERM while it streams two answers: readiness goes false at once, a
 * new query is answered 200 with an error that allows a retry on a connection that then closes, so that Poe's own
 * client asks again and a Service sends that to a replica still serving; the answer that fits in the drain timeout
 * finishes, and the one that does not ends with an error that allows a retry, then done.
 */
@Order(12)
class DrainIT {

    private static final Duration DRAIN = Duration.ofSeconds(8);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static FakeOpenAiServer upstream;
    private static RuntimeProcess runtime;
    private static RuntimeProcess replica;

    @BeforeAll
    static void start() throws Exception {
        upstream = new FakeOpenAiServer();
        Path manifests = Files.createTempFile("drain", ".yaml");
        Files.writeString(manifests, """
                apiVersion: v1
                kind: Secret
                metadata: {name: keys}
                stringData: {api-key: sk-drain-provider-key}
                ---
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMProvider
                metadata: {name: fake}
                spec: {baseUrl: '%s', defaultModel: fake-model, apiKeySecretRef: {name: keys, key: api-key}}
                ---
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {name: helper}
                spec: {providerRef: {name: fake}}
                """.formatted(upstream.baseUrl()));
        List<String> launch = List.of("-jar", ControlPlane.REPO.resolve("bot-runtime/target/bot-runtime.jar").toString(),
                "--botfleet.drain-timeout=" + DRAIN.toSeconds() + "s");
        runtime = RuntimeProcess.start(manifests, List.of("-Xmx256m"), launch);
        replica = RuntimeProcess.start(manifests, List.of("-Xmx256m"), launch);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        runtime.close();
        replica.close();
        upstream.close();
    }

    @Test
    void openAnswersFinishOrEndRetryablyAndNewQueriesAreRetriedOnAnotherReplica() throws Exception {
        upstream.enqueue(FakeOpenAiServer.Reply.stream(Duration.ofMillis(200), words(8)),
                FakeOpenAiServer.Reply.stream(Duration.ofMillis(200), words(60)));
        Answer fits = Answer.start(runtime.botUrl("helper"));
        await().atMost(Duration.ofSeconds(10)).until(fits::started);
        Answer tooLong = Answer.start(runtime.botUrl("helper"));
        await().atMost(Duration.ofSeconds(10)).until(tooLong::started);

        long signalled = System.nanoTime();
        runtime.terminate();

        await().atMost(Duration.ofSeconds(2)).until(() -> status(runtime.url("/actuator/health/readiness")) == 503);
        HttpResponse<String> refused = HTTP.send(query(runtime.botUrl("helper")), HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).as("any other status Poe shows the user as an error").isEqualTo(200);
        assertThat(refused.headers().firstValue("Connection")).hasValue("close");
        assertThat(refused.body()).doesNotContain("event: text").containsSubsequence("event: error",
                "\"allow_retry\":true", "The bot’s server is restarting", "event: done");

        try (RoundRobinProxy service = new RoundRobinProxy(List.of(runtime.port(), replica.port()))) {
            JsonNode seen = FastapiPoeClient.run("query", "http://127.0.0.1:" + service.port() + "/bots/", "helper",
                    "any-key", "hello again");
            assertThat(seen.path("error").isNull()).as(seen.toString()).isTrue();
            assertThat(FastapiPoeClient.text(seen).strip()).isEqualTo("hello again");
            assertThat(seen.path("failed_tries").asInt()).as("asked the draining runtime first").isEqualTo(1);
            assertThat(service.connectionsTo(0)).isEqualTo(1);
            assertThat(service.connectionsTo(1)).as("the retry reached the replica").isEqualTo(1);
        }

        String finished = fits.body().get(10, TimeUnit.SECONDS);
        assertThat(finished).contains("event: done").doesNotContain("event: error");
        assertThat(finished.lines().filter(line -> line.equals("event: text")).count()).isEqualTo(8);

        String cut = tooLong.body().get(DRAIN.toSeconds() + 10, TimeUnit.SECONDS);
        long endedAfterMillis = (System.nanoTime() - signalled) / 1_000_000;
        assertThat(cut).contains("event: text").containsSubsequence("event: error", "\"allow_retry\":true",
                "event: done");
        assertThat(endedAfterMillis).as("ended at the drain timeout").isBetween(DRAIN.toMillis() - 500,
                DRAIN.toMillis() + 5_000);
        assertThat(runtime.awaitExit(Duration.ofSeconds(15))).as("the runtime exits after the drain").isTrue();
    }

    private static String[] words(int count) {
        return java.util.stream.IntStream.range(0, count).mapToObj(i -> "w" + i + " ").toArray(String[]::new);
    }

    private static int status(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (Exception notListening) {
            return -1;
        }
    }

    private static HttpRequest query(String url) {
        return HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"version": "1.2", "type": "query", "user_id": "u", "conversation_id": "c",
                         "message_id": "m", "query": [{"role": "user", "content": "tell me a long story"}]}"""))
                .build();
    }

    /** An answer read line by line as it streams. */
    private record Answer(List<String> lines, CompletableFuture<String> body) {

        static Answer start(String url) {
            List<String> lines = new CopyOnWriteArrayList<>();
            CompletableFuture<String> body = HTTP.sendAsync(query(url), HttpResponse.BodyHandlers.ofLines())
                    .thenApply(response -> {
                        response.body().forEach(lines::add);
                        return String.join("\n", lines);
                    });
            return new Answer(lines, body);
        }

        boolean started() {
            return lines.contains("event: text");
        }
    }
}
