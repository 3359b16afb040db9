package dev.botfleet.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.botfleet.testing.FakeOpenAiServer;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The Poe protocol as a caller sees it, driven by the protocol vectors against the real runtime. */
class PoeProtocolTest extends RuntimeTestBase {

    private static final ObjectMapper JSON = new ObjectMapper();

    private String[] echoAuth() {
        return new String[] {"Authorization", bearer(ECHO_ACCESS_KEY)};
    }

    @Test
    void minimalQueryStreamsMetaThenTheAnswerThenDone() {
        JsonNode vector = Vectors.load("01_query_minimal.json");
        HttpResponse<String> response = poe.post("/bots/echo", (ObjectNode) vector.at("/request/body"), echoAuth());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("text/event-stream;charset=utf-8");
        assertThat(response.headers().firstValue("cache-control")).hasValue("no-store");
        List<SseEvents.Event> events = SseEvents.parse(response.body());
        assertThat(SseEvents.names(events)).as("Poe's defaults need no meta").doesNotContain("meta");
        assertThat(events.get(events.size() - 1).name()).isEqualTo("done");
        assertThat(events.get(events.size() - 1).data().isObject()).isTrue();
        // The reference echo bot answers with exactly the user's message.
        String expected = vector.at("/expected/echo_bot_stream/events/0/data/text").asText();
        assertThat(SseEvents.answer(events)).isEqualTo(expected);
        assertThat(events).allSatisfy(e -> assertThat(e.data().isObject()).isTrue());
    }

    @Test
    void wholeConversationGoesUpstreamWithTheSystemPromptFirstAndAttachmentsInline() {
        JsonNode vector = Vectors.load("02_query_multiturn_attachments.json");
        List<SseEvents.Event> events = poe.ask("echo", (ObjectNode) vector.at("/request/body"), echoAuth());

        assertThat(SseEvents.names(events)).as(events.toString()).endsWith("done").doesNotContain("error");
        List<String> sent = UPSTREAM.lastRequest().messages();
        assertThat(sent.get(0)).isEqualTo("system: Be brief.");
        assertThat(sent).contains("system: You are a concise geography tutor.",
                "user: Which country is Kathmandu in?",
                "assistant: Kathmandu is the capital of **Nepal**.");
        JsonNode last = vector.at("/request/body/query").get(vector.at("/request/body/query").size() - 1);
        assertThat(sent.get(sent.size() - 1)).isEqualTo("user: " + last.path("content").asText());
        // The text file first, then the image, whose analysis Poe sends as "map.png***<description>".
        assertThat(sent.get(sent.size() - 3)).startsWith("user: ").contains("\"notes.txt\"")
                .endsWith("Nepal borders China and India.");
        assertThat(sent.get(sent.size() - 2)).startsWith("user: Description of the attached image \"map.png\"")
                .endsWith(":\n\nA political map of South Asia with Nepal highlighted.").doesNotContain("***");
        assertThat(UPSTREAM.lastRequest().body().path("stream").asBoolean()).isTrue();
        assertThat(UPSTREAM.lastRequest().body().path("model").asText()).isEqualTo("m-primary");
    }

    @Test
    void settingsAnswerCarriesResponseVersionTwoAndWhatSpecPoeSets() throws Exception {
        JsonNode vector = Vectors.load("03_settings.json");
        HttpResponse<String> response = poe.post("/bots/echo", (ObjectNode) vector.at("/request/body"), echoAuth());

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode settings = JSON.readTree(response.body());
        assertThat(settings.path("response_version").asInt()).isEqualTo(2);
        assertThat(settings.path("introduction_message").asText()).isEqualTo("Hi from echo.");
        assertThat(settings.path("allow_attachments").asBoolean()).isTrue();
        assertThat(settings.path("server_bot_dependencies").path("GPT-4o").asInt()).isEqualTo(1);
        // Every key we send is one the reference knows.
        settings.fieldNames().forEachRemaining(key ->
                assertThat(vector.at("/expected/default_response").has(key)).as(key).isTrue());
    }

    @Test
    void reportsAreAnsweredWithAnEmptyObjectAndPoesErrorReportsCounted() {
        io.micrometer.core.instrument.Counter reports = registry.find("botfleet.poe.error.reports")
                .tags("bot", "echo").counter();
        double before = reports == null ? 0 : reports.count();
        for (String file : List.of("04_report_feedback.json", "05_report_reaction.json", "06_report_error.json")) {
            JsonNode vector = Vectors.load(file);
            HttpResponse<String> response = poe.post("/bots/echo", (ObjectNode) vector.at("/request/body"),
                    echoAuth());
            assertThat(response.statusCode()).as(file).isEqualTo(vector.at("/expected/status").asInt());
            assertThat(response.body()).as(file).isEqualTo(vector.at("/expected/body_raw").asText());
        }
        assertThat(registry.get("botfleet.poe.error.reports").tags("bot", "echo").counter().count())
                .as("only report_error counts").isEqualTo(before + 1);
    }

    /**
     * Vector 11, case by case. Where botfleet deliberately differs from the reference, the assertion says so:
     * the scheme is compared ignoring case (RFC 9110; the old Poe simulator sent "bearer"), an unknown role is
     * skipped as the protocol asks instead of failing with 500, and a body that is not JSON is a 400, not a 500.
     */
    @Test
    void authenticationAndDispatchAnswersFollowVector11() throws Exception {
        JsonNode requests = Vectors.load("11_auth_and_dispatch_errors.json").path("request");
        HttpResponse<String> noHeader = send(requests.get(0));
        assertUnauthorized(noHeader);
        assertUnauthorized(send(requests.get(1)));
        HttpResponse<String> wrongKey = send(requests.get(2));
        assertUnauthorized(wrongKey);
        assertThat(wrongKey.body()).isEqualTo("{\"detail\":\"Invalid access key\"}");

        assertThat(send(requests.get(3)).statusCode()).as("lower-case bearer with the right key").isEqualTo(200);

        HttpResponse<String> unknownType = send(requests.get(4));
        assertThat(unknownType.statusCode()).isEqualTo(501);
        assertThat(unknownType.body()).isEqualTo("{\"detail\":\"Unsupported request type\"}");

        HttpResponse<String> unknownRole = send(requests.get(5));
        assertThat(unknownRole.statusCode()).as("message with an unknown role is skipped").isEqualTo(200);
        assertThat(UPSTREAM.lastRequest().messages()).containsExactly("system: Be brief.");

        HttpResponse<String> notJson = poe.post("/bots/echo", requests.get(6).path("body_raw").asText(),
                "Authorization", bearer(ECHO_ACCESS_KEY));
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(notJson.body()).path("detail").asText()).isEqualTo("request body is not valid JSON");
    }

    private HttpResponse<String> send(JsonNode vectorRequest) {
        String authorization = vectorRequest.at("/headers/Authorization").asText(null);
        String[] headers = authorization == null ? new String[0]
                : new String[] {"Authorization", authorization.replace("abcdefghijklmnopqrstuvwxyz012345",
                ECHO_ACCESS_KEY)};
        return poe.post("/bots/echo", (ObjectNode) vectorRequest.path("body"), headers);
    }

    private static void assertUnauthorized(HttpResponse<String> response) {
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("www-authenticate")).hasValue("Bearer");
        assertThat(response.body()).startsWith("{\"detail\":").doesNotContain(ECHO_ACCESS_KEY);
    }

    @Test
    void aBotWithoutAccessKeyAcceptsAnyCaller() {
        assertThat(SseEvents.names(poe.ask("open", "hello"))).endsWith("done")
                .doesNotContain("error");
    }

    @Test
    void getOnABotPathIsAnUnauthenticatedProbe() {
        HttpResponse<String> probe = poe.get("/bots/echo");
        assertThat(probe.statusCode()).isEqualTo(200);
        assertThat(probe.headers().firstValue("content-type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/html"));
        assertThat(poe.get("/bots/no-such-bot").statusCode()).isEqualTo(404);
        assertThat(poe.method("PUT", "/bots/echo").statusCode()).isEqualTo(405);
        assertThat(poe.method("DELETE", "/bots/echo").statusCode()).isEqualTo(405);
    }

    @Test
    void theReferenceClientsOutboundQueryIsAccepted() {
        JsonNode vector = Vectors.load("13_client_outbound_query.json");
        List<SseEvents.Event> events = poe.ask("echo", (ObjectNode) vector.at("/request/body"), echoAuth());
        assertThat(SseEvents.answer(events)).isEqualTo("Hello world");
    }

    /** Vector 14: what a Poe caller reports as broken never happens. */
    @Test
    void streamsObeyTheCallersParsingRules() {
        UPSTREAM.enqueue(FakeOpenAiServer.Reply.chunks());
        for (List<SseEvents.Event> events : List.of(poe.ask("open", "say nothing"), poe.ask("open", "say something"))) {
            assertThat(events.stream().filter(e -> e.name().equals("meta"))).as("a meta, if any, comes first")
                    .allSatisfy(meta -> assertThat(events.indexOf(meta)).isZero());
            assertThat(events.stream().filter(e -> e.name().equals("done"))).hasSize(1);
            assertThat(events.get(events.size() - 1).name()).isEqualTo("done");
            assertThat(events).as("at least one text event, even for an empty answer")
                    .anySatisfy(e -> assertThat(e.name()).isIn("text", "replace_response", "error"));
        }
    }

    @Test
    void listOfBotsShowsNoSecretsAndNoPrompts() throws Exception {
        HttpResponse<String> response = poe.get("/bots");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode bots = JSON.readTree(response.body());
        assertThat(bots.findValuesAsText("name")).contains("echo", "open", "resilient");
        assertThat(response.body()).doesNotContain("Secret sauce", "Be brief", ECHO_ACCESS_KEY, UPSTREAM_KEY,
                "poe-echo", "fake-key");
        JsonNode open = bots.findParents("name").stream().filter(b -> b.path("name").asText().equals("open"))
                .findFirst().orElseThrow();
        assertThat(open.path("model").asText()).isEqualTo("m-open");
        assertThat(open.path("provider").asText()).isEqualTo("fake");
    }
}
