package dev.botfleet.runtime;

import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.system.CapturedOutput;
import org.junit.jupiter.api.extension.ExtendWith;
import dev.botfleet.runtime.poe.UserError;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Handlers side by side in one runtime: the built-in LLM handler (bot "open"), the built-in echo handler (bot
 * "echo-bot", no provider) and the example handler of examples/custom-bot, found through ServiceLoader, that
 * wraps the LLM handler (bot "careful"), each driven with the Poe vectors.
 */
@ExtendWith(OutputCaptureExtension.class)
class HandlersTest extends RuntimeTestBase {

    @Test
    void theEchoHandlerAnswersTheMinimalVectorAsTheReferenceEchoBotDoes() {
        JsonNode vector = Vectors.load("01_query_minimal.json");
        List<SseEvents.Event> events = poe.ask("echo-bot", (ObjectNode) vector.at("/request/body"));

        List<SseEvents.Event> reference = SseEvents.parse(vector.at("/expected/echo_bot_stream/wire").asText());
        assertThat(events).isEqualTo(reference);
        assertThat(UPSTREAM.requests()).as("echo needs no provider").isEmpty();
    }

    @Test
    void everyHandlerAnswersTheMultiTurnAndOutboundVectors() {
        for (String vector : List.of("02_query_multiturn_attachments.json", "13_client_outbound_query.json")) {
            ObjectNode body = (ObjectNode) Vectors.load(vector).at("/request/body");
            for (String bot : List.of("open", "echo-bot", "careful")) {
                UPSTREAM.reset();
                List<SseEvents.Event> events = poe.ask(bot, body.deepCopy());
                assertThat(SseEvents.names(events)).as(bot + " " + vector).endsWith("done").doesNotContain("error");
                assertThat(SseEvents.answer(events)).as(bot + " " + vector).isNotEmpty();
            }
        }
    }

    @Test
    void aPackagedHandlerWrapsTheLlmHandler() {
        ObjectNode body = PoeClient.query("I am ann@example.com");
        body.withArray("query").addObject().put("role", "bot").put("content", "Hello Ann");
        body.withArray("query").addObject().put("role", "user").put("content", "mail bob.smith@corp.example.org");

        List<SseEvents.Event> events = poe.ask("careful", body);

        assertThat(UPSTREAM.lastRequest().messages()).as("pre-processed before going upstream").containsExactly(
                "system: Be careful.", "user: I am [e-mail address removed]", "assistant: Hello Ann",
                "user: mail [e-mail address removed]");
        assertThat(SseEvents.answer(events)).as("post-processed: the signature from handlerSettings")
                .isEqualTo("mail [e-mail address removed]\n\n-- the support team");
    }

    @Test
    void settingsAndReportsWorkForEveryHandler() throws Exception {
        for (String bot : List.of("echo-bot", "careful")) {
            HttpResponse<String> settings = poe.post("/bots/" + bot, "{\"version\":\"1.2\",\"type\":\"settings\"}");
            assertThat(settings.statusCode()).isEqualTo(200);
            assertThat(settings.body()).contains("\"response_version\":2");
            HttpResponse<String> report = poe.post("/bots/" + bot,
                    (ObjectNode) Vectors.load("04_report_feedback.json").at("/request/body"));
            assertThat(report.body()).isEqualTo("{}");
        }
    }

    @Test
    void aHandlerThisRuntimeDoesNotHaveIsAnErrorAndTheOwnersLogNamesIt(CapturedOutput output) {
        List<SseEvents.Event> events = poe.ask("mystery", "hi");
        assertThat(SseEvents.names(events)).containsExactly("error", "done");
        assertTold(events.get(0), UserError.BOT_UNAVAILABLE);
        assertThat(ownerLog(output, "mystery")).contains("no handler 'not-packaged'")
                .contains("echo, llm, redact-and-sign");
    }

    @Test
    void botInfoNamesTheHandler() {
        assertThat(SseEvents.answer(poe.ask("echo-bot", "/botinfo"))).contains("\"handler\" : \"echo\"")
                .contains("\"provider\" : null");
    }
}
