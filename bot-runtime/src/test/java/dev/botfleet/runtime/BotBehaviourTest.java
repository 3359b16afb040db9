package dev.botfleet.runtime;

import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.system.CapturedOutput;
import org.junit.jupiter.api.extension.ExtendWith;
import dev.botfleet.runtime.poe.UserError;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.botfleet.testing.FakeOpenAiServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** How a bot's spec shapes what goes upstream and what Poe gets back. */
@ExtendWith(OutputCaptureExtension.class)
class BotBehaviourTest extends RuntimeTestBase {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void samplingSettingsComeFromTheSpecAndTheCallersTemperatureOnlyWhenAllowed() {
        poe.ask("open", "hi");
        JsonNode sent = UPSTREAM.lastRequest().body();
        assertThat(sent.path("temperature").asDouble()).isEqualTo(0.5);
        assertThat(sent.path("max_tokens").asInt()).isEqualTo(64);
        assertThat(sent.path("model").asText()).isEqualTo("m-open");
        assertThat(sent.path("stream_options").path("include_usage").asBoolean()).isTrue();

        poe.ask("open", PoeClient.query("hi").put("temperature", 1.3));
        assertThat(UPSTREAM.lastRequest().body().path("temperature").asDouble()).isEqualTo(1.3);

        poe.ask("echo", PoeClient.query("hi").put("temperature", 1.3), "Authorization", bearer(ECHO_ACCESS_KEY));
        assertThat(UPSTREAM.lastRequest().body().has("temperature"))
                .as("echo does not allow the caller's temperature and sets none").isFalse();
    }

    /**
     * Request fields decided deliberately: the bot owner's system prompt is always sent (a caller cannot skip it),
     * logit_bias is not passed on (providers differ on it), tool messages are skipped (no tools here).
     */
    @Test
    void callersCannotSkipTheSystemPromptAndFieldsTheRuntimeDoesNotSupportStayBehind() {
        ObjectNode body = PoeClient.query("what is 2+2?");
        body.put("skip_system_prompt", true);
        body.putObject("logit_bias").put("1234", -100);
        body.withArray("query").insertObject(0).put("role", "tool").put("content", "{\"result\": 4}");
        poe.ask("echo", body, "Authorization", bearer(ECHO_ACCESS_KEY));

        JsonNode sent = UPSTREAM.lastRequest().body();
        assertThat(UPSTREAM.lastRequest().messages()).containsExactly("system: Be brief.", "user: what is 2+2?");
        assertThat(sent.has("logit_bias")).isFalse();
    }

    @Test
    void botInfoSummarisesTheBotWithoutSecretsOrPrompt() throws Exception {
        List<SseEvents.Event> events = poe.ask("echo", "/botinfo", "Authorization", bearer(ECHO_ACCESS_KEY));
        String answer = SseEvents.answer(events);
        assertThat(answer).startsWith("```json\n").endsWith("\n```");
        JsonNode info = JSON.readTree(answer.substring(8, answer.length() - 4));
        assertThat(info.path("name").asText()).isEqualTo("echo");
        assertThat(info.path("provider").asText()).isEqualTo("fake");
        assertThat(info.path("model").asText()).isEqualTo("m-primary");
        assertThat(info.path("settings").path("introduction_message").asText()).isEqualTo("Hi from echo.");
        assertThat(info.has("systemPrompt")).isFalse();
        assertThat(answer).doesNotContain(ECHO_ACCESS_KEY, UPSTREAM_KEY, "poe-echo", "fake-key", "Be brief");
        assertThat(UPSTREAM.requests()).as("answered without the model").isEmpty();
    }

    /** Mounted keys are read again every reload interval (100 ms here), off the requests' path. */
    @Test
    void rotatedKeysAreUsedWithinAReloadInterval() {
        try {
            writeSecret("fake-key", "api-key", "sk-rotated");
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                poe.ask("open", "hi");
                assertThat(UPSTREAM.lastRequest().header("Authorization")).isEqualTo("Bearer sk-rotated");
            });

            writeSecret("poe-echo", "access-key", "rotated-access-key");
            await().atMost(Duration.ofSeconds(5)).until(() -> poe.post("/bots/echo", PoeClient.query("hi"),
                    "Authorization", bearer("rotated-access-key")).statusCode() == 200);
            assertThat(poe.post("/bots/echo", PoeClient.query("hi"), "Authorization", bearer(ECHO_ACCESS_KEY))
                    .statusCode()).isEqualTo(401);
        } finally {
            writeSecret("fake-key", "api-key", UPSTREAM_KEY);
            writeSecret("poe-echo", "access-key", ECHO_ACCESS_KEY);
            awaitKeysRestored();
        }
    }

    /** Until the runtime uses the usual keys again, so that the tests after this one find them. */
    private void awaitKeysRestored() {
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            poe.ask("open", "hi");
            assertThat(UPSTREAM.lastRequest().header("Authorization")).isEqualTo("Bearer " + UPSTREAM_KEY);
            assertThat(poe.post("/bots/echo", PoeClient.query("hi"), "Authorization", bearer(ECHO_ACCESS_KEY))
                    .statusCode()).isEqualTo(200);
        });
    }

    @Test
    void aKeyFileThatDisappearsFailsOnlyItsBotsAndRecoversWhenItIsBack(CapturedOutput output) throws Exception {
        java.nio.file.Path keyFile = SECRETS.resolve("fake-key/api-key");
        java.nio.file.Files.delete(keyFile);
        try {
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                List<SseEvents.Event> events = poe.ask("open", "hi");
                assertTold(events.get(events.size() - 2), UserError.BOT_UNAVAILABLE);
            });
            assertThat(ownerLog(output, "open")).contains("FAKE_KEY_API_KEY");
            assertThat(SseEvents.names(poe.ask("once", "unaffected"))).doesNotContain("error");
        } finally {
            writeSecret("fake-key", "api-key", UPSTREAM_KEY);
            awaitKeysRestored();
        }
        assertThat(SseEvents.answer(poe.ask("open", "back"))).isEqualTo("back");
    }

    @Test
    void metricsCountQueriesByOutcomeAndNeverCarrySecrets() {
        poe.ask("open", "hi");
        UPSTREAM.enqueue(FakeOpenAiServer.Reply.status(401));
        poe.ask("open", "hi");

        String metrics = poe.get("/actuator/prometheus").body();
        assertThat(metrics).containsPattern("botfleet_queries_total\\{.*bot=\"open\".*outcome=\"success\".*\\} [1-9]");
        assertThat(metrics).containsPattern("botfleet_queries_total\\{.*outcome=\"upstream_error\".*\\} [1-9]");
        assertThat(metrics).containsPattern("botfleet_upstream_errors_total\\{.*reason=\"http_401\".*\\}");
        assertThat(metrics).contains("botfleet_time_to_first_token_seconds");
        assertThat(metrics).containsPattern("botfleet_tokens_total\\{.*type=\"completion\".*\\}");
        assertThat(metrics).doesNotContain(UPSTREAM_KEY, ECHO_ACCESS_KEY);
    }

    @Test
    void readinessReportsTheLoadedConfiguration() throws Exception {
        JsonNode readiness = JSON.readTree(poe.get("/actuator/health/readiness").body());
        assertThat(readiness.path("status").asText()).isEqualTo("UP");
        assertThat(readiness.at("/components/manifests/details/bots").asInt()).isEqualTo(20);
        assertThat(poe.get("/actuator/health/liveness").statusCode()).isEqualTo(200);
    }
}
