package dev.botfleet.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.botfleet.testing.FakeOpenAiServer;
import dev.botfleet.testing.FakeOpenAiServer.Reply;
import dev.botfleet.testing.FakePoeApi;
import dev.botfleet.testing.RuntimeProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.botfleet.testing.FakePoeApi.event;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A priced bot in the packaged runtime, asked by fastapi_poe's client, charging through a recording fake of Poe's
 * cost API; its authorize and capture requests compared with the ones fastapi_poe's own {@code authorize_cost} and
 * {@code capture_cost} send for the same amounts.
 */
@Order(13)
class PricedBotsIT {

    private static final String ACCESS_KEY = "priced-bot-access-key-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static FakePoeApi poe;
    private static FakeOpenAiServer upstream;
    private static RuntimeProcess runtime;
    private static String baseUrl;

    @BeforeAll
    static void start() throws Exception {
        poe = new FakePoeApi();
        upstream = new FakeOpenAiServer();
        Path manifests = Files.createTempFile(Files.createDirectories(ControlPlane.WORK), "priced", ".yaml");
        Files.writeString(manifests, """
                apiVersion: v1
                kind: Secret
                metadata: {name: keys}
                stringData: {access-key: %s, api-key: sk-priced-provider-key}
                ---
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMProvider
                metadata: {name: openai}
                spec: {baseUrl: '%s', defaultModel: gpt-4o-mini, maxRetries: 0, timeout: 5s,
                       apiKeySecretRef: {name: keys, key: api-key}}
                ---
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {name: priced}
                spec:
                  providerRef: {name: openai}
                  accessKeySecretRef: {name: keys, key: access-key}
                  maxTokens: 200
                  pricing: {perMessage: 1000, perMillionInputTokens: 250000, perMillionOutputTokens: 2000000}
                """.formatted(ACCESS_KEY, upstream.baseUrl()));
        runtime = RuntimeProcess.start(manifests, List.of("-Xmx256m", "-Dbotfleet.poe-api-url=" + poe.botApiUrl()),
                List.of("-jar", ControlPlane.REPO.resolve("bot-runtime/target/bot-runtime.jar").toString()));
        baseUrl = runtime.botUrl("");
    }

    @AfterAll
    static void stop() throws Exception {
        runtime.close();
        upstream.close();
        poe.close();
    }

    @BeforeEach
    void reset() {
        poe.reset();
        upstream.reset();
    }

    private static JsonNode ask(String botQueryId) throws Exception {
        return FastapiPoeClient.run("query", baseUrl, "priced", ACCESS_KEY, "What does it cost?", "--bot-query-id",
                botQueryId);
    }

    /** Where fastapi_poe's cost functions take Poe: the API's root, before {@code bot/}. */
    private static String costApiRoot() {
        return poe.botApiUrl().substring(0, poe.botApiUrl().length() - "bot/".length());
    }

    @Test
    void anAnswerIsAuthorizedAndCapturedAsFastapiPoesOwnCostFunctionsWould() throws Exception {
        upstream.enqueue(Reply.chunks("It ", "costs ", "points."));
        JsonNode seen = ask("q-e2e-priced");
        assertThat(seen.path("error").isNull()).as(seen.toString()).isTrue();
        assertThat(FastapiPoeClient.text(seen)).isEqualTo("It costs points.");

        assertThat(poe.requests()).hasSize(2);
        FakePoeApi.Request ourAuthorize = poe.requests().get(0);
        FakePoeApi.Request ourCapture = poe.requests().get(1);
        assertThat(JSON.readTree(ourCapture.body()).path("amounts")).as("1000, 11 prompt tokens, 3 completion tokens")
                .isEqualTo(JSON.readTree("""
                        [{"amount_usd_milli_cents": 1000, "description": "Message"},
                         {"amount_usd_milli_cents": 3, "description": "11 input tokens"},
                         {"amount_usd_milli_cents": 6, "description": "3 output tokens"}]"""));

        for (FakePoeApi.Request ours : List.of(ourAuthorize, ourCapture)) {
            String step = ours.path().substring(ours.path().lastIndexOf('/') + 1);
            String amounts = JSON.readTree(ours.body()).path("amounts").toString();
            JsonNode theirs = FastapiPoeClient.run(step, costApiRoot(), "q-e2e-priced", ACCESS_KEY, amounts);
            assertThat(theirs.path("approved").asBoolean()).as(theirs.toString()).isTrue();
            FakePoeApi.Request reference = poe.requests().get(poe.requests().size() - 1);
            assertThat(ours.method()).isEqualTo(reference.method());
            assertThat(ours.path()).isEqualTo(reference.path()).isEqualTo("/bot/cost/q-e2e-priced/" + step);
            for (String header : List.of("Content-Type", "Accept", "Cache-Control")) {
                assertThat(ours.header(header)).as(step + " " + header).isEqualTo(reference.header(header));
            }
            assertThat(JSON.readTree(ours.body())).as(step).isEqualTo(JSON.readTree(reference.body()));
        }
    }

    @Test
    void aUserWithoutThePointsGetsPoesInsufficientFundErrorAndTheProviderIsNotAsked() throws Exception {
        poe.enqueue(FakePoeApi.Answer.events(event("result", "{\"status\": \"insufficient_fund\"}")));

        JsonNode seen = ask("q-e2e-poor");

        assertThat(seen.path("error").path("type").asText()).isEqualTo("BotErrorNoRetry");
        assertThat(seen.path("error").path("message").asText()).contains("insufficient_fund");
        assertThat(upstream.requests()).isEmpty();
        assertThat(poe.requests()).hasSize(1);
    }

    /** fastapi_poe's own functions read the fake's answers as Poe's: approval, and a refusal as no funds. */
    @Test
    void theFakeCostApiAnswersAsFastapiPoeExpectsPoeTo() throws Exception {
        String amounts = "[{\"amount_usd_milli_cents\": 10, \"description\": \"Message\"}]";
        assertThat(FastapiPoeClient.run("authorize", costApiRoot(), "q-ref", ACCESS_KEY, amounts)
                .path("approved").asBoolean()).isTrue();
        poe.enqueue(FakePoeApi.Answer.events(event("result", "{\"status\": \"insufficient_fund\"}")));
        assertThat(FastapiPoeClient.run("authorize", costApiRoot(), "q-ref", ACCESS_KEY, amounts)
                .path("error").path("type").asText()).isEqualTo("InsufficientFundError");
    }
}
