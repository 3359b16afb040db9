package dev.botfleet.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.botfleet.runtime.poe.UserError;
import dev.botfleet.testing.FakeOpenAiServer.Reply;
import dev.botfleet.testing.FakePoeApi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import java.util.List;

import static dev.botfleet.testing.FakePoeApi.event;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bots whose provider speaks protocol poe: the Poe query relayed to Poe's bot API (a recording fake here) with the
 * calling bot's own access key, the Poe bot's events streamed back, its errors retried or passed to a fallback.
 */
@ExtendWith(OutputCaptureExtension.class)
class PoeBotsAsProvidersTest extends RuntimeTestBase {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static FakePoeApi.Answer answer(String... texts) {
        String[] events = new String[texts.length + 2];
        events[0] = event("meta", "{\"content_type\": \"text/plain\", \"suggested_replies\": true}");
        for (int i = 0; i < texts.length; i++) {
            events[i + 1] = event("text", JSON.createObjectNode().put("text", texts[i]).toString());
        }
        events[texts.length + 1] = event("done", "{}");
        return FakePoeApi.Answer.events(events);
    }

    private static String[] relayAuth() {
        return new String[] {"Authorization", bearer(RELAY_ACCESS_KEY)};
    }

    @Test
    void theQueryGoesToThePoeBotWithTheBotsOwnKeyAndItsAnswerStreamsBack() throws Exception {
        POE_BOTS.enqueue(answer("Ahoy", ", matey"));
        ObjectNode query = PoeClient.query("Where is the treasure?");
        query.put("metadata", "e-00000000000000000000000000000001");
        query.put("language_code", "de").put("bot_query_id", "b-1");
        query.withArray("query").insertObject(0).put("role", "bot").put("content", "Earlier answer");

        List<SseEvents.Event> events = poe.ask("relay", query, relayAuth());

        assertThat(SseEvents.answer(events)).isEqualTo("Ahoy, matey");
        assertThat(SseEvents.names(events)).doesNotContain("error").endsWith("done");
        assertThat(SseEvents.names(events).stream().filter("meta"::equals)).as("the Poe bot's meta is not relayed")
                .hasSizeLessThanOrEqualTo(1);
        FakePoeApi.Request sent = POE_BOTS.requests().get(0);
        assertThat(sent.method()).isEqualTo("POST");
        assertThat(sent.path()).isEqualTo("/bot/Claude-Sonnet-4");
        assertThat(sent.header("Authorization")).isEqualTo("Bearer " + RELAY_ACCESS_KEY);
        assertThat(sent.header("Accept")).isEqualTo("text/event-stream");
        JsonNode body = JSON.readTree(sent.body());
        assertThat(body.path("type").asText()).isEqualTo("query");
        assertThat(body.path("version").asText()).isEqualTo("1.2");
        assertThat(body.path("query")).hasSize(3);
        assertThat(body.at("/query/0/role").asText()).isEqualTo("system");
        assertThat(body.at("/query/0/content").asText()).isEqualTo("Answer as a pirate.");
        assertThat(body.at("/query/1/role").asText()).isEqualTo("bot");
        assertThat(body.at("/query/2/content").asText()).isEqualTo("Where is the treasure?");
        assertThat(body.path("temperature").asDouble()).isEqualTo(0.3);
        assertThat(body.path("skip_system_prompt").asBoolean(true)).isFalse();
        assertThat(body.path("metadata").asText()).isEqualTo("e-00000000000000000000000000000001");
        assertThat(body.path("language_code").asText()).isEqualTo("de");
        assertThat(body.path("bot_query_id").asText()).isEqualTo("b-1");
        assertThat(body.path("user_id").asText()).isEqualTo("u-test");
        assertThat(body.path("conversation_id").asText()).isEqualTo("c-test");
        assertThat(body.path("message_id").asText()).isEqualTo("m-test");
        assertThat(sent.body()).doesNotContain(RELAY_ACCESS_KEY);
        assertThat(UPSTREAM.requests()).isEmpty();
    }

    @Test
    void replacedTextSuggestedRepliesAndJsonComeThroughAsThePoeBotSentThem() {
        POE_BOTS.enqueue(FakePoeApi.Answer.events(event("text", "{\"text\": \"Draft\"}"),
                event("replace_response", "{\"text\": \"Final\"}"),
                event("suggested_reply", "{\"text\": \"And then?\"}"),
                event("json", "{\"choices\": [{\"delta\": {\"tool_calls\": []}}]}"),
                event("done", "{}")));

        List<SseEvents.Event> events = poe.ask("relay", "go", relayAuth());

        assertThat(SseEvents.names(events)).contains("replace_response", "suggested_reply", "json").endsWith("done");
        assertThat(SseEvents.answer(events)).isEqualTo("Final");
        assertThat(events.stream().filter(e -> e.name().equals("suggested_reply")).findFirst().orElseThrow().text())
                .isEqualTo("And then?");
    }

    @Test
    void anErrorThatAllowsARetryIsTriedAgainThenTheFallbackAnswers() {
        String busy = event("error", "{\"text\": \"overloaded\", \"allow_retry\": true}");
        POE_BOTS.enqueue(FakePoeApi.Answer.events(busy), FakePoeApi.Answer.events(busy));
        UPSTREAM.enqueue(Reply.chunks("From the backup."));

        List<SseEvents.Event> events = poe.ask("relay", "hi", relayAuth());

        assertThat(SseEvents.answer(events)).isEqualTo("From the backup.");
        assertThat(POE_BOTS.requests()).as("the first try and maxRetries: 1").hasSize(2);
        assertThat(UPSTREAM.lastRequest().body().path("model").asText()).isEqualTo("m-backup");
    }

    @Test
    void anErrorThatRefusesARetryGoesStraightToTheFallback() {
        POE_BOTS.enqueue(FakePoeApi.Answer.events(
                event("error", "{\"text\": \"not for you\", \"allow_retry\": false}")));
        UPSTREAM.enqueue(Reply.chunks("From the backup."));

        assertThat(SseEvents.answer(poe.ask("relay", "hi", relayAuth()))).isEqualTo("From the backup.");
        assertThat(POE_BOTS.requests()).hasSize(1);
    }

    @Test
    void anHttpFailureOfPoesBotApiIsRetriedAsAnyProviderFailure() {
        POE_BOTS.enqueue(FakePoeApi.Answer.status(502, "bad gateway"), answer("Recovered."));

        assertThat(SseEvents.answer(poe.ask("relay", "hi", relayAuth()))).isEqualTo("Recovered.");
        assertThat(POE_BOTS.requests()).hasSize(2);
    }

    @Test
    void anOpenAiPrimaryFallsBackToAPoeBot() {
        UPSTREAM.enqueue(Reply.status(500));
        POE_BOTS.enqueue(answer("GPT-4o here."));

        assertThat(SseEvents.answer(poe.ask("relay-fallback", "hi", relayAuth()))).isEqualTo("GPT-4o here.");
        assertThat(POE_BOTS.requests()).singleElement().satisfies(request ->
                assertThat(request.path()).isEqualTo("/bot/GPT-4o"));
    }

    @Test
    void aBotWithoutAnAccessKeyCannotCallPoeBotsAndItsOwnerLearnsWhy(CapturedOutput output) {
        List<SseEvents.Event> events = poe.ask("relay-keyless", "hi");

        assertThat(SseEvents.names(events)).endsWith("error", "done");
        assertThat(POE_BOTS.requests()).isEmpty();
        assertThat(ownerLog(output, "relay-keyless")).contains("set spec.accessKeySecretRef");
        assertTold(events.get(events.size() - 2), UserError.BOT_UNAVAILABLE);
    }

    @Test
    void theSettingsDeclareThePoeBotsTheProviderChainCalls() throws Exception {
        ObjectNode settings = JSON.createObjectNode().put("version", "1.2").put("type", "settings");
        JsonNode relay = JSON.readTree(poe.post("/bots/relay", settings, relayAuth()).body());
        JsonNode fallback = JSON.readTree(poe.post("/bots/relay-fallback", settings, relayAuth()).body());

        assertThat(relay.path("server_bot_dependencies")).isEqualTo(JSON.readTree("{\"Claude-Sonnet-4\": 2}"));
        assertThat(fallback.path("server_bot_dependencies")).isEqualTo(JSON.readTree("{\"GPT-4o\": 2}"));
    }
}
