package dev.botfleet.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.botfleet.testing.FakeOpenAiServer;
import dev.botfleet.testing.FakeOpenAiServer.Reply;
import dev.botfleet.testing.FakePoeApi;
import dev.botfleet.testing.RuntimeProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static dev.botfleet.testing.FakePoeApi.event;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bots whose providers speak protocol poe, in the packaged runtime: fastapi_poe's reference bots stand in for Poe's bot
 * API and fastapi_poe's client asks the relaying bots; the call a bot relays is compared on the wire with the one
 * fastapi_poe's own {@code stream_request} makes for the same request, both recorded by a fake of Poe's bot API.
 */
@Order(12)
class PoeBotsAsProvidersIT {

    private static final String ACCESS_KEY = ReferenceBots.KEYED_ACCESS_KEY;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** What a relaying bot decides itself, as for any provider: callers cannot skip its prompt; no logit_bias. */
    private static final Set<String> DECIDED_BY_THE_BOT = Set.of("skip_system_prompt", "logit_bias");
    /** Keys fastapi_poe copies from the request it got into the body; botfleet sends its key only as a header. */
    private static final Set<String> KEYS = Set.of("access_key", "api_key");

    private static ReferenceBots referenceBots;
    private static FakePoeApi recording;
    private static FakeOpenAiServer upstream;
    private static RuntimeProcess runtime;
    private static String baseUrl;

    @BeforeAll
    static void start() throws Exception {
        referenceBots = ReferenceBots.start("reference-bots-as-providers.log");
        recording = new FakePoeApi();
        upstream = new FakeOpenAiServer();
        Path manifests = Files.createTempFile(Files.createDirectories(ControlPlane.WORK), "poe-bots", ".yaml");
        Files.writeString(manifests, """
                apiVersion: v1
                kind: Secret
                metadata: {name: keys}
                stringData: {access-key: %1$s, api-key: sk-poe-bots-provider-key}
                ---
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMProvider
                metadata: {name: reference-bots}
                spec: {protocol: poe, baseUrl: '%2$s', defaultModel: keyed, maxRetries: 1, timeout: 10s}
                ---
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMProvider
                metadata: {name: recording}
                spec: {protocol: poe, baseUrl: '%3$s', defaultModel: Claude-Sonnet-4, maxRetries: 0, timeout: 10s}
                ---
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMProvider
                metadata: {name: openai}
                spec: {baseUrl: '%4$s', defaultModel: fake-model, maxRetries: 0, timeout: 5s,
                       apiKeySecretRef: {name: keys, key: api-key}}
                ---
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {name: relay}
                spec: {providerRef: {name: reference-bots}, accessKeySecretRef: {name: keys, key: access-key}}
                ---
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {name: relay-replace}
                spec: {providerRef: {name: reference-bots}, model: replace,
                       accessKeySecretRef: {name: keys, key: access-key}}
                ---
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {name: relay-suggest}
                spec: {providerRef: {name: reference-bots}, model: suggest,
                       accessKeySecretRef: {name: keys, key: access-key}}
                ---
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {name: relay-error}
                spec: {providerRef: {name: reference-bots}, model: error,
                       accessKeySecretRef: {name: keys, key: access-key}}
                ---
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {name: mixed}
                spec:
                  providerRef: {name: reference-bots}
                  model: retry
                  fallbacks: [{providerRef: {name: openai}}]
                  accessKeySecretRef: {name: keys, key: access-key}
                ---
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {name: forward}
                spec: {providerRef: {name: recording}, allowRequestTemperature: true,
                       accessKeySecretRef: {name: keys, key: access-key}}
                """.formatted(ACCESS_KEY, referenceBots.baseUrl(), recording.botApiUrl(), upstream.baseUrl()));
        runtime = RuntimeProcess.start(manifests, List.of("-Xmx256m"), List.of("-jar",
                ControlPlane.REPO.resolve("bot-runtime/target/bot-runtime.jar").toString()));
        baseUrl = runtime.botUrl("");
    }

    @AfterAll
    static void stop() throws Exception {
        runtime.close();
        upstream.close();
        recording.close();
        referenceBots.close();
    }

    @BeforeEach
    void reset() {
        upstream.reset();
        recording.reset();
    }

    private static JsonNode ask(String bot, String text) throws Exception {
        return FastapiPoeClient.run("query", baseUrl, bot, ACCESS_KEY, text);
    }

    /** The reference bot {@code keyed} answers only its own access key: the relay sends the calling bot's. */
    @Test
    void aReferenceBotAnswersThroughABotThatRelaysToIt() throws Exception {
        JsonNode seen = ask("relay", "hello through a relay");
        assertThat(seen.path("error").isNull()).as(seen.toString()).isTrue();
        assertThat(FastapiPoeClient.text(seen)).isEqualTo("hello through a relay");
    }

    @Test
    void replacedTextAndSuggestedRepliesReachTheClientAsTheReferenceBotsSentThem() throws Exception {
        JsonNode replaced = ask("relay-replace", "draft it");
        assertThat(FastapiPoeClient.kinds(replaced)).contains("replace_response");
        assertThat(replaced.path("messages").get(replaced.path("messages").size() - 1).path("text").asText())
                .isEqualTo("final answer");

        JsonNode suggested = ask("relay-suggest", "suggest something");
        assertThat(FastapiPoeClient.kinds(suggested)).containsSubsequence("text", "suggested_reply",
                "suggested_reply");
        assertThat(FastapiPoeClient.text(suggested)).isEqualTo("Here you go.Tell me moreThanks");
    }

    @Test
    void anErrorAfterTextEndsTheAnswerWithAnErrorTheClientRaises() throws Exception {
        JsonNode seen = ask("relay-error", "fail please");
        assertThat(FastapiPoeClient.text(seen)).startsWith("partial");
        assertThat(seen.path("error").path("type").asText()).isIn("BotError", "BotErrorNoRetry");
    }

    /** The reference bot refuses with allow_retry twice (the try and maxRetries: 1), then the OpenAI fallback answers. */
    @Test
    void fallbacksMixBothProtocols() throws Exception {
        upstream.enqueue(Reply.chunks("From the OpenAI-compatible fallback."));
        JsonNode seen = ask("mixed", "anyone there?");
        assertThat(seen.path("error").isNull()).as(seen.toString()).isTrue();
        assertThat(FastapiPoeClient.text(seen)).isEqualTo("From the OpenAI-compatible fallback.");
        assertThat(upstream.requests()).hasSize(1);
    }

    /**
     * Every field of a query (the protocol vector a fastapi_poe client sends) asked of the relaying bot, and the same
     * request relayed by fastapi_poe's stream_request: the same path, key, headers and query, but for what the bot
     * decides itself and the keys fastapi_poe copies into the body.
     */
    @Test
    void theRelayedQueryIsTheCallFastapiPoesClientMakes() throws Exception {
        String answer = event("text", "{\"text\": \"ok\"}") + event("done", "{}");
        recording.enqueue(FakePoeApi.Answer.events(answer), FakePoeApi.Answer.events(answer));
        JsonNode vector = JSON.readTree(ControlPlane.REPO.resolve(
                "bot-runtime/src/test/resources/poe-vectors/15_query_every_field.json").toFile());
        String query = vector.path("body").toString();

        HttpResponse<String> relayed = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(baseUrl
                        + "forward")).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + ACCESS_KEY)
                .POST(HttpRequest.BodyPublishers.ofString(query)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(relayed.body()).contains("event: text", "\"ok\"").doesNotContain("event: error");
        JsonNode forwarded = FastapiPoeClient.run("forward", recording.botApiUrl(), "Claude-Sonnet-4", ACCESS_KEY,
                query);
        assertThat(forwarded.path("error").isNull()).as(forwarded.toString()).isTrue();

        assertThat(recording.requests()).hasSize(2);
        FakePoeApi.Request ours = recording.requests().get(0);
        FakePoeApi.Request reference = recording.requests().get(1);
        assertThat(ours.path()).isEqualTo(reference.path()).isEqualTo("/bot/Claude-Sonnet-4");
        for (String header : List.of("Authorization", "Accept", "Cache-Control")) {
            assertThat(ours.header(header)).as(header).isEqualTo(reference.header(header));
        }
        assertThat(ours.header("Content-Type")).startsWith(reference.header("Content-Type"));

        JsonNode oursRaw = JSON.readTree(ours.body());
        assertThat(KEYS).allSatisfy(key -> assertThat(oursRaw.has(key)).as(key).isFalse());
        ObjectNode oursRead = (ObjectNode) FastapiPoeClient.run("query-model", ours.body());
        ObjectNode referenceRead = (ObjectNode) FastapiPoeClient.run("query-model", reference.body());
        assertThat(oursRead.path("skip_system_prompt").asBoolean()).isFalse();
        assertThat(oursRead.path("logit_bias").isEmpty()).isTrue();
        for (String key : union(DECIDED_BY_THE_BOT, KEYS)) {
            oursRead.remove(key);
            referenceRead.remove(key);
        }
        assertThat(oursRead).isEqualTo(referenceRead);
        oursRaw.fieldNames().forEachRemaining(field ->
                assertThat(referenceRead.has(field) || DECIDED_BY_THE_BOT.contains(field)).as(field).isTrue());
    }

    private static Set<String> union(Set<String> one, Set<String> other) {
        java.util.Set<String> both = new java.util.HashSet<>(one);
        both.addAll(other);
        return both;
    }
}
