package dev.botfleet.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** Broken Poe requests get a 4xx with a reason that names the problem; never a 500, never internals. */
class BadInputTest extends RuntimeTestBase {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonNode refused(HttpResponse<String> response, int status) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        assertThat(response.body()).doesNotContain("Exception", "at dev.", "at com.", "at java.");
        assertThat(UPSTREAM.requests()).as("nothing reaches the provider").isEmpty();
        return JSON.readTree(response.body());
    }

    private HttpResponse<String> post(String body) {
        return poe.post("/bots/open", body);
    }

    @Test
    void bodyThatIsNotJsonIs400() throws Exception {
        assertThat(refused(post("{\"type\": \"query\""), 400).path("detail").asText())
                .isEqualTo("request body is not valid JSON");
        assertThat(refused(post(""), 400).path("detail").asText()).isEqualTo("request body is empty");
    }

    @Test
    void jsonThatIsNotAnObjectIs400() throws Exception {
        assertThat(refused(post("[1, 2]"), 400).path("detail").asText())
                .isEqualTo("request body must be a JSON object");
        assertThat(refused(post("\"query\""), 400).path("detail").asText())
                .isEqualTo("request body must be a JSON object");
    }

    @Test
    void missingTypeIs400() throws Exception {
        assertThat(refused(post("{\"version\": \"1.2\"}"), 400).path("detail").asText())
                .isEqualTo("field 'type' is required and must be a string");
    }

    @Test
    void eachMissingRequiredFieldIsNamed() throws Exception {
        for (String field : new String[] {"query", "user_id", "conversation_id", "message_id"}) {
            ObjectNode body = PoeClient.query("hi");
            body.remove(field);
            assertThat(refused(post(body.toString()), 400).path("detail").asText()).as(field)
                    .contains("'" + field + "'").contains("required");
        }
        ObjectNode noContent = PoeClient.query("hi");
        ((ObjectNode) noContent.path("query").get(0)).remove("content");
        assertThat(refused(post(noContent.toString()), 400).path("detail").asText()).contains("content");
    }

    @Test
    void wrongTypesAreNamed() throws Exception {
        ObjectNode queryAsString = PoeClient.query("hi").put("query", "hello");
        assertThat(refused(post(queryAsString.toString()), 400).path("detail").asText()).contains("'query'");

        ObjectNode temperatureAsText = PoeClient.query("hi").put("temperature", "hot");
        assertThat(refused(post(temperatureAsText.toString()), 400).path("detail").asText())
                .contains("'temperature'");

        ObjectNode contentAsNumber = PoeClient.query("hi");
        ((ObjectNode) contentAsNumber.path("query").get(0)).putObject("content");
        assertThat(refused(post(contentAsNumber.toString()), 400).path("detail").asText())
                .contains("query[0].content");

        ObjectNode negativeTemperature = PoeClient.query("hi").put("temperature", -1);
        assertThat(refused(post(negativeTemperature.toString()), 400).path("detail").asText())
                .contains("temperature");
    }

    @Test
    void bodyOverTheLimitIs413() throws Exception {
        String big = "x".repeat(1024 * 1024 + 1);
        assertThat(refused(post(PoeClient.query(big).toString()), 413).path("detail").asText())
                .contains("exceeds 1048576 bytes");
    }

    @Test
    void deeplyNestedJsonIs400() throws Exception {
        String nested = "{\"type\":\"query\",\"x\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
        refused(post(nested), 400);
    }

    @Test
    void unknownBotIs404() throws Exception {
        HttpResponse<String> response = poe.post("/bots/no-such-bot", PoeClient.query("hi"));
        assertThat(refused(response, 404).path("detail").asText()).isEqualTo("Unknown bot 'no-such-bot'");
    }

    @Test
    void unknownKeysRolesAndContentTypesAreSkipped() {
        ObjectNode body = PoeClient.query("keep me").put("brand_new_field", true);
        ((ObjectNode) body.path("query").get(0)).put("mood", "curious");
        body.withArray("query").insertObject(0).put("role", "narrator").put("content", "drop me");
        body.withArray("query").insertObject(0).put("role", "user").put("content", "drop me too")
                .put("content_type", "text/x-unknown");
        assertThat(SseEvents.answer(poe.ask("open", body))).isEqualTo("keep me");
        assertThat(UPSTREAM.lastRequest().messages()).containsExactly("system: Secret sauce prompt.",
                "user: keep me");
    }

    @Test
    void tenThousandMessagesAreAccepted() {
        ObjectNode body = PoeClient.query("x");
        var query = body.putArray("query");
        for (int i = 0; i < 10_000; i++) {
            query.addObject().put("role", i % 2 == 0 ? "user" : "bot").put("content", "m" + i);
        }
        query.addObject().put("role", "user").put("content", "last");
        assertThat(SseEvents.answer(poe.ask("open", body))).isEqualTo("last");
        assertThat(UPSTREAM.lastRequest().messages()).hasSize(10_002);
    }

    @Test
    void invalidUtf8Is400() throws Exception {
        byte[] body = "{\"type\": \"query\", \"x\": \"\u0000\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        body[body.length - 3] = (byte) 0xC3;
        java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/bots/open"))
                        .header("Content-Type", "application/json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(refused(response, 400).path("detail").asText()).isEqualTo("request body is not valid JSON");
    }

    @Test
    void oneBotsKeyDoesNotOpenAnother() throws Exception {
        HttpResponse<String> response = poe.post("/bots/echo", PoeClient.query("hi"), "Authorization",
                "Bearer " + UPSTREAM_KEY);
        assertThat(refused(response, 401).path("detail").asText()).isEqualTo("Invalid access key");
        assertThat(response.body()).doesNotContain("Be brief", UPSTREAM_KEY, ECHO_ACCESS_KEY);
    }

    /** Poe never sends one; asking a provider with only the system prompt would spend tokens on nothing. */
    @Test
    void anEmptyConversationIsRefused() throws Exception {
        ObjectNode body = PoeClient.query("x");
        body.putArray("query");
        HttpResponse<String> response = poe.post("/bots/open", body);
        assertThat(refused(response, 400).path("detail").asText()).isEqualTo("query must hold at least one message");
        assertThat(UPSTREAM.requests()).isEmpty();
    }
}
