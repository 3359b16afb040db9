package dev.botfleet.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.botfleet.testing.FakeOpenAiServer;
import dev.botfleet.testing.FakeOpenAiServer.Reply;
import dev.botfleet.testing.RuntimeProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged runtime driven by Poe's own client library (fastapi_poe, pinned in e2e/poe/requirements.txt),
 * as another bot or Poe's tools call a bot: what the client shows, which exception it ends with, and whether it
 * retried. Each case scripts the fake provider, runs e2e/poe/client.py once and reads its JSON.
 */
@Order(10)
class PoeConformanceIT {

    static final String ACCESS_KEY = "conformance-access-key-012345678";
    /** fastapi_poe refuses to send an empty key (httpx rejects the header); Poe always sends the bot's key. */
    private static final String ANY_KEY = "a-key-the-open-bots-ignore";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static FakeOpenAiServer upstream;
    private static RuntimeProcess runtime;
    private static String baseUrl;

    @BeforeAll
    static void start() throws Exception {
        upstream = new FakeOpenAiServer();
        Path manifests = Files.createTempFile(Files.createDirectories(ControlPlane.WORK), "conformance", ".yaml");
        Files.writeString(manifests, """
                apiVersion: v1
                kind: Secret
                metadata: {name: keys}
                stringData: {api-key: sk-conformance-provider-key, access-key: %s}
                ---
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMProvider
                metadata: {name: fake}
                spec: {baseUrl: '%s', defaultModel: fake-model, maxRetries: 0, timeout: 5s,
                       apiKeySecretRef: {name: keys, key: api-key}}
                ---
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {name: open}
                spec: {providerRef: {name: fake}, systemPrompt: Be brief.}
                ---
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {name: keyed}
                spec: {providerRef: {name: fake}, accessKeySecretRef: {name: keys, key: access-key}}
                ---
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {name: suggest}
                spec:
                  providerRef: {name: fake}
                  poe: {suggestedReplies: true, introductionMessage: Hello from botfleet, allowAttachments: true}
                ---
                %s""".formatted(ACCESS_KEY, upstream.baseUrl(), tunableBot()));
        runtime = RuntimeProcess.start(manifests, List.of("-Xmx256m"), List.of("-jar",
                ControlPlane.REPO.resolve("bot-runtime/target/bot-runtime.jar").toString()));
        baseUrl = runtime.botUrl("");
    }

    /** The quickstart's bot with parameter controls, on the fake provider. */
    private static String tunableBot() throws IOException {
        String quickstart = Files.readString(ControlPlane.REPO.resolve("examples/quickstart.yaml"));
        return quickstart.substring(quickstart.lastIndexOf("apiVersion", quickstart.indexOf("name: tunable")))
                .replace("name: openai", "name: fake");
    }

    @AfterAll
    static void stop() throws Exception {
        runtime.close();
        upstream.close();
    }

    @BeforeEach
    void resetUpstream() {
        upstream.reset();
    }

    private static JsonNode client(String... arguments) throws IOException {
        return FastapiPoeClient.run(arguments);
    }

    private static List<String> kinds(JsonNode seen) {
        return FastapiPoeClient.kinds(seen);
    }

    private static String text(JsonNode seen) {
        return FastapiPoeClient.text(seen);
    }

    @Test
    void answersAndUnicodeArriveWholeInEveryClientFunction() throws IOException {
        String message = "héllo 世界 🎉 \"quoted\" line\nnext";
        JsonNode streamed = client("query", baseUrl, "open", ANY_KEY, message);
        assertThat(streamed.path("error").isNull()).as(streamed.toString()).isTrue();
        assertThat(kinds(streamed)).as("Poe's defaults need no meta").doesNotContain("meta");
        assertThat(text(streamed).strip()).isEqualTo(message.strip());
        assertThat(upstream.lastRequest().messages()).containsExactly("system: Be brief.", "user: " + message);

        assertThat(client("final", baseUrl, "open", ANY_KEY, "final answer").path("text").asText().strip())
                .isEqualTo("final answer");
        assertThat(text(client("sync", baseUrl, "open", ANY_KEY, "from sync")).strip()).isEqualTo("from sync");
    }

    @Test
    void theAccessKeyIsCheckedAsPoesClientSendsIt() throws IOException {
        assertThat(client("query", baseUrl, "keyed", ACCESS_KEY, "hi").path("error").isNull()).isTrue();

        JsonNode wrong = client("query", baseUrl, "keyed", "not-the-key", "hi");
        assertThat(wrong.path("error").path("type").asText()).isIn("BotError", "BotErrorNoRetry");
        assertThat(text(wrong)).isEmpty();
        assertThat(upstream.requests()).as("a refused caller costs no provider call").hasSize(1);
    }

    @Test
    void anErrorThatAllowsARetryIsRetriedByTheClient() throws IOException {
        upstream.enqueue(Reply.status(503), Reply.chunks("second ", "time"));
        JsonNode seen = client("query", baseUrl, "open", ANY_KEY, "hi");

        assertThat(seen.path("error").isNull()).as(seen.toString()).isTrue();
        assertThat(text(seen)).isEqualTo("second time");
        assertThat(seen.path("failed_tries").asInt()).isEqualTo(1);
        assertThat(upstream.requests()).hasSize(2);
    }

    @Test
    void anErrorThatAllowsNoRetryEndsTheClientAtOnce() throws IOException {
        upstream.enqueue(Reply.status(401));
        JsonNode seen = client("query", baseUrl, "open", ANY_KEY, "hi");

        assertThat(seen.path("error").path("type").asText()).isEqualTo("BotErrorNoRetry");
        assertThat(seen.path("error").path("message").asText()).contains("This bot can’t answer right now")
                .doesNotContain("HTTP 401", "sk-conformance");
        assertThat(upstream.requests()).hasSize(1);
    }

    @Test
    void anAnswerCutAfterTextIsAnErrorTheClientDoesNotRetry() throws IOException {
        upstream.enqueue(Reply.truncatedAfter("half an "));
        JsonNode seen = client("query", baseUrl, "open", ANY_KEY, "hi");

        assertThat(text(seen)).isEqualTo("half an ");
        assertThat(seen.path("error").path("type").asText()).isEqualTo("BotError");
        assertThat(upstream.requests()).as("the client retries only before anything was yielded").hasSize(1);
    }

    @Test
    void anEmptyAnswerIsAnErrorTheClientRetries() throws IOException {
        upstream.enqueue(Reply.chunks(), Reply.chunks());
        JsonNode seen = client("query", baseUrl, "open", ANY_KEY, "hi");

        assertThat(seen.path("error").path("type").asText()).isEqualTo("BotError");
        assertThat(seen.path("error").path("message").asText()).contains("returned an empty answer");
        assertThat(upstream.requests()).hasSize(2);
    }

    @Test
    void aBotWithSuggestedRepliesAnnouncesThemFirst() throws IOException {
        JsonNode seen = client("query", baseUrl, "suggest", ANY_KEY, "hi there");

        assertThat(kinds(seen)).first().isEqualTo("meta");
        assertThat(seen.path("messages").get(0).path("suggested_replies").asBoolean()).isTrue();
        assertThat(text(seen).strip()).isEqualTo("hi there");
    }

    @Test
    void attachmentsTextReachesTheProvider() throws IOException {
        client("query", baseUrl, "open", ANY_KEY, "summarise it", "--attachment", "https://example.com/notes.txt",
                "notes.txt", "The meeting moved to Tuesday.");
        assertThat(String.join("\n", upstream.lastRequest().messages())).contains("The meeting moved to Tuesday.");
    }

    @Test
    void settingsAndReportsAreAnsweredAsTheClientExpects() throws IOException {
        JsonNode settings = client("settings", baseUrl, "suggest", ANY_KEY);
        assertThat(settings.path("introduction_message").asText()).isEqualTo("Hello from botfleet");
        assertThat(settings.path("allow_attachments").asBoolean()).isTrue();
        assertThat(settings.path("response_version").asInt()).isEqualTo(2);

        assertThat(client("reports", baseUrl, "open", ANY_KEY).path("reported").asInt()).isEqualTo(3);
    }

    /**
     * Function calling as fastapi_poe's client runs it: it offers a tool, the model (the fake provider) calls it in
     * streamed parts, the client runs its function and asks again with the call and the result, and the model answers.
     */
    @Test
    void fastapiPoesToolLoopRunsThroughTheBot() throws IOException {
        upstream.enqueue(Reply.toolCall("call_1", "get_weather", "{\"city\": ", "\"Oslo\"}"),
                Reply.chunks("It is 3 degrees ", "and clear in Oslo."));
        JsonNode seen = client("tools", baseUrl, "open", ANY_KEY, "What is the weather in Oslo?");

        assertThat(seen.path("error").isNull()).as(seen.toString()).isTrue();
        assertThat(text(seen)).isEqualTo("It is 3 degrees and clear in Oslo.");
        assertThat(upstream.requests()).hasSize(2);
        JsonNode offered = upstream.requests().get(0).body();
        assertThat(offered.at("/tools/0/function/name").asText()).isEqualTo("get_weather");
        assertThat(offered.at("/tools/0/function/parameters/required/0").asText()).isEqualTo("city");
        JsonNode messages = upstream.requests().get(1).body().path("messages");
        JsonNode call = messages.get(messages.size() - 2);
        assertThat(call.path("role").asText()).isEqualTo("assistant");
        assertThat(call.at("/tool_calls/0/id").asText()).isEqualTo("call_1");
        assertThat(call.at("/tool_calls/0/function/arguments").asText()).isEqualTo("{\"city\": \"Oslo\"}");
        JsonNode result = messages.get(messages.size() - 1);
        assertThat(result.path("role").asText()).isEqualTo("tool");
        assertThat(result.path("tool_call_id").asText()).isEqualTo("call_1");
        assertThat(JSON.readTree(result.path("content").asText()).path("temperature_c").asInt()).isEqualTo(3);
        assertThat(upstream.requests().get(1).body().at("/tools/0/function/name").asText()).isEqualTo("get_weather");
    }

    /** The request vector the runtime's unit tests parse is what the pinned fastapi_poe writes today. */
    @Test
    void theEveryFieldVectorIsWhatFastapiPoeWrites() throws IOException {
        Command.Result generated = Command.of(List.of(PythonEnvironment.python().toString(),
                ControlPlane.REPO.resolve("e2e/poe/vectors.py").toString())).run().orFail();
        JsonNode committed = JSON.readTree(ControlPlane.REPO.resolve(
                "bot-runtime/src/test/resources/poe-vectors/15_query_every_field.json").toFile());
        assertThat(JSON.readTree(generated.out())).as("regenerate it with e2e/poe/vectors.py").isEqualTo(committed);
    }

    /** Parameter controls as fastapi_poe's SettingsResponse reads them: every key allowed, every value kept. */
    @Test
    void parameterControlsAreSettingsFastapiPoeAccepts() throws IOException {
        JsonNode settings = client("settings", baseUrl, "tunable", ANY_KEY);
        assertThat(settings.path("parameter_controls").path("sections")).isNotEmpty();

        JsonNode read = FastapiPoeClient.run("settings-model", settings.toString());
        assertThat(read.path("error").isNull()).as(read.toString()).isTrue();
        assertThat(withoutNulls(read.path("settings").path("parameter_controls")))
                .isEqualTo(settings.path("parameter_controls"));
    }

    private static JsonNode withoutNulls(JsonNode node) {
        if (node.isObject()) {
            com.fasterxml.jackson.databind.node.ObjectNode copy = JSON.createObjectNode();
            node.properties().forEach(field -> {
                if (!field.getValue().isNull()) {
                    copy.set(field.getKey(), withoutNulls(field.getValue()));
                }
            });
            return copy;
        }
        if (node.isArray()) {
            com.fasterxml.jackson.databind.node.ArrayNode copy = JSON.createArrayNode();
            node.forEach(element -> copy.add(withoutNulls(element)));
            return copy;
        }
        return node;
    }
}
