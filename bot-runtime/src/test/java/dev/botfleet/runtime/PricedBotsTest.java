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

import java.time.Duration;
import java.util.List;

import static dev.botfleet.testing.FakePoeApi.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A bot with spec.pricing (500 per message, 300,000 per million input tokens, 1,500,000 per million output tokens,
 * maxTokens 100) charging through a recording fake of Poe's cost API; the fake provider reports 11 prompt tokens
 * and one completion token per chunk.
 */
@ExtendWith(OutputCaptureExtension.class)
class PricedBotsTest extends RuntimeTestBase {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode query(String botQueryId) {
        return PoeClient.query("Hi").put("bot_query_id", botQueryId);
    }

    private List<SseEvents.Event> ask(ObjectNode query) {
        return poe.ask("priced", query, "Authorization", bearer(RELAY_ACCESS_KEY));
    }

    private static JsonNode body(FakePoeApi.Request request) throws Exception {
        return JSON.readTree(request.body());
    }

    private static List<FakePoeApi.Request> costRequests() {
        return POE_BOTS.requests().stream().filter(request -> request.path().contains("/cost/")).toList();
    }

    private double charged() {
        var counter = registry.find("botfleet.poe.charged").tags("bot", "priced").counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void theMostAnAnswerCanCostIsAuthorizedFirstAndWhatItUsedIsCapturedAfter() throws Exception {
        UPSTREAM.enqueue(Reply.chunks("Hello", " world"));
        double chargedBefore = charged();

        List<SseEvents.Event> events = ask(query("q-priced-1"));

        assertThat(SseEvents.answer(events)).isEqualTo("Hello world");
        assertThat(SseEvents.names(events)).doesNotContain("error");
        List<FakePoeApi.Request> costs = costRequests();
        assertThat(costs).hasSize(2);
        FakePoeApi.Request authorize = costs.get(0);
        assertThat(authorize.path()).isEqualTo("/bot/cost/q-priced-1/authorize");
        assertThat(authorize.header("Accept")).isEqualTo("text/event-stream");
        JsonNode authorized = body(authorize);
        assertThat(authorized.path("access_key").asText()).isEqualTo(RELAY_ACCESS_KEY);
        assertThat(authorized.at("/amounts/0/amount_usd_milli_cents").asLong()).isEqualTo(500);
        assertThat(authorized.at("/amounts/0/description").asText()).isEqualTo("Message");
        assertThat(authorized.at("/amounts/1/description").asText()).matches("\\d+ input tokens");
        assertThat(authorized.at("/amounts/2/amount_usd_milli_cents").asLong()).as("100 tokens at 1.5 each")
                .isEqualTo(150);
        assertThat(authorized.at("/amounts/2/description").asText()).isEqualTo("100 output tokens");

        FakePoeApi.Request capture = costs.get(1);
        assertThat(capture.path()).isEqualTo("/bot/cost/q-priced-1/capture");
        assertThat(body(capture).path("amounts")).isEqualTo(JSON.readTree("""
                [{"amount_usd_milli_cents": 500, "description": "Message"},
                 {"amount_usd_milli_cents": 4, "description": "11 input tokens"},
                 {"amount_usd_milli_cents": 3, "description": "2 output tokens"}]"""));
        assertThat(charged() - chargedBefore).isEqualTo(507);
    }

    @Test
    void aRefusedAuthorizationIsPoesInsufficientFundErrorAndTheProviderIsNeverAsked(CapturedOutput output) {
        POE_BOTS.enqueue(FakePoeApi.Answer.events(event("result", "{\"status\": \"insufficient_fund\"}")));

        List<SseEvents.Event> events = ask(query("q-poor"));

        assertTold(events.get(events.size() - 2), UserError.INSUFFICIENT_FUNDS);
        assertThat(events.get(events.size() - 2).data().path("error_type").asText()).isEqualTo("insufficient_fund");
        assertThat(UPSTREAM.requests()).isEmpty();
        assertThat(costRequests()).hasSize(1);
        assertThat(ownerLog(output, "priced")).contains("Poe did not authorize", "insufficient_fund")
                .doesNotContain(RELAY_ACCESS_KEY);
    }

    @Test
    void aCostApiThatDoesNotAnswerFailsTheAnswerWithARetryAndTheProviderIsNeverAsked() {
        POE_BOTS.enqueue(FakePoeApi.Answer.status(503, "{\"message\": \"down\"}"));

        List<SseEvents.Event> events = ask(query("q-down"));

        assertTold(events.get(events.size() - 2), UserError.COST_UNAVAILABLE);
        assertThat(UPSTREAM.requests()).isEmpty();

        POE_BOTS.enqueue(FakePoeApi.COST_APPROVED.delayed(Duration.ofSeconds(3)));
        assertTold(lastButDone(ask(query("q-slow"))), UserError.COST_UNAVAILABLE);
        assertThat(UPSTREAM.requests()).isEmpty();
    }

    private static SseEvents.Event lastButDone(List<SseEvents.Event> events) {
        return events.get(events.size() - 2);
    }

    @Test
    void aFailedCaptureIsTriedAgainAndTheAnswerStands(CapturedOutput output) {
        UPSTREAM.enqueue(Reply.chunks("Worth it."));
        POE_BOTS.enqueue(FakePoeApi.COST_APPROVED, FakePoeApi.Answer.status(502, "bad gateway"));

        List<SseEvents.Event> events = ask(query("q-capture"));

        assertThat(SseEvents.answer(events)).isEqualTo("Worth it.");
        await().atMost(Duration.ofSeconds(5)).until(() -> costRequests().size() == 3);
        assertThat(costRequests().get(2).path()).isEqualTo("/bot/cost/q-capture/capture");
        assertThat(costRequests().get(2).body()).isEqualTo(costRequests().get(1).body());
        assertThat(output.getAll()).contains("capturing 506 usd_milli_cents failed: HTTP 502", "trying again");
    }

    @Test
    void anAnswerThatDeliveredNothingIsNotCharged() {
        UPSTREAM.enqueue(Reply.status(400));

        List<SseEvents.Event> events = ask(query("q-failed"));

        assertThat(SseEvents.names(events)).contains("error");
        assertThat(costRequests()).singleElement().satisfies(request ->
                assertThat(request.path()).endsWith("/authorize"));
    }

    @Test
    void aQueryThatDidNotComeThroughPoeIsAnsweredWithoutACharge() {
        UPSTREAM.enqueue(Reply.chunks("Free, locally."));

        assertThat(SseEvents.answer(ask(PoeClient.query("Hi")))).isEqualTo("Free, locally.");
        assertThat(costRequests()).isEmpty();
    }

    @Test
    void theRateCardAndCostLabelPoeShowsAreMadeFromThePricing() throws Exception {
        ObjectNode settings = JSON.createObjectNode().put("version", "1.2").put("type", "settings");
        JsonNode answered = JSON.readTree(poe.post("/bots/priced", settings, "Authorization",
                bearer(RELAY_ACCESS_KEY)).body());

        assertThat(answered.path("cost_label").asText()).isEqualTo("[usd_milli_cents=500]+");
        assertThat(answered.path("rate_card").asText()).contains("| Per message | [usd_milli_cents=500] |",
                "| Input | [usd_milli_cents=300000] per million tokens |",
                "| Output | [usd_milli_cents=1500000] per million tokens |");
    }
}
