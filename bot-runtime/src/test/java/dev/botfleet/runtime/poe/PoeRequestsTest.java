package dev.botfleet.runtime.poe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.botfleet.handler.poe.PoeRequestException;
import dev.botfleet.handler.poe.ProtocolMessage;
import dev.botfleet.handler.poe.QueryRequest;
import dev.botfleet.runtime.Vectors;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each way a Poe request body can be broken gets a 400 naming what is wrong. */
class PoeRequestsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final PoeRequests requests = new PoeRequests(JSON);

    private static final String QUERY = """
            {"version": "1.2", "type": "query", "user_id": "u", "conversation_id": "c", "message_id": "m",
             "query": [{"role": "user", "content": "hi"}]}""";

    private void refused(String body, String message) {
        assertThatThrownBy(() -> requests.read(body.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(PoeRequestException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage()).isEqualTo(message);
                });
    }

    @Test
    void aWellFormedQueryIsRead() {
        PoeRequest request = requests.read(QUERY.getBytes(StandardCharsets.UTF_8));
        assertThat(request).isInstanceOf(PoeRequest.Query.class);
        QueryRequest query = ((PoeRequest.Query) request).query();
        assertThat(query.query()).hasSize(1);
        assertThat(query.query().get(0).content()).isEqualTo("hi");
    }

    @Test
    void eachTypeIsReadIntoItsOwnRequestAndAnUnknownOneIsKeptForA501() {
        assertThat(read("{\"type\": \"settings\", \"version\": \"1.2\"}"))
                .isEqualTo(new PoeRequest.Settings("1.2"));
        assertThat(read("{\"type\": \"report_feedback\", \"message_id\": \"m\", \"user_id\": \"u\", "
                + "\"conversation_id\": \"c\", \"feedback_type\": \"like\"}"))
                .isEqualTo(new PoeRequest.ReportFeedback("m", "u", "c", "like"));
        assertThat(read("{\"type\": \"report_reaction\", \"message_id\": \"m\", \"reaction\": \"heart\"}"))
                .isEqualTo(new PoeRequest.ReportReaction("m", null, null, "heart"));
        assertThat(read("{\"type\": \"report_error\", \"message\": \"broke\"}"))
                .isEqualTo(new PoeRequest.ReportError("broke", null));
        assertThat(read("{\"type\": \"QUERY\"}")).isEqualTo(new PoeRequest.Unsupported("QUERY"));
    }

    private PoeRequest read(String body) {
        return requests.read(body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void brokenBodiesAreRefusedSayingWhy() {
        refused("", "request body is empty");
        refused("{not json", "request body is not valid JSON");
        refused("[1, 2]", "request body must be a JSON object");
        refused("{\"type\": 3}", "field 'type' is required and must be a string");
        refused("{}", "field 'type' is required and must be a string");
        refused(QUERY + " {}", "request body is not valid JSON");
        refused(QUERY.replace("\"query\": [{\"role\": \"user\", \"content\": \"hi\"}]", "\"query\": \"hi\""),
                "field 'query' has the wrong type");
        refused(QUERY.replace("\"content\": \"hi\"", "\"content\": [1]"), "field 'query[0].content' has the wrong type");
        refused(QUERY.replace("\"user_id\": \"u\", ", ""), "field 'user_id' is required");
        refused(QUERY.replace("\"query\": [{\"role\": \"user\", \"content\": \"hi\"}]", "\"query\": null"),
                "field 'query' is required");
        refused(QUERY.replace("\"role\": \"user\"", "\"role\": \"user\", \"attachments\": \"x\""),
                "field 'query[0].attachments' has the wrong type");
    }

    /**
     * Vector 15 is written by fastapi_poe's own types (e2e/poe/vectors.py): every field it parses, this runtime
     * parses to the same value, and fills in the same defaults when a body leaves them out. The keys are never read.
     */
    @Test
    void everyFieldFastapiPoeParsesIsReadToTheSameValue() {
        JsonNode vector = Vectors.load("15_query_every_field.json");
        assertThat(parsedAsJson(vector.get("body"))).isEqualTo(withoutNulls(vector.get("parsed")));
        assertThat(parsedAsJson(vector.get("minimal"))).isEqualTo(withoutNulls(vector.get("minimal_parsed")));
    }

    @Test
    void theNewFieldsAreTyped() {
        QueryRequest query = ((PoeRequest.Query) requests.read(Vectors.load("15_query_every_field.json")
                .get("body").toString().getBytes(StandardCharsets.UTF_8))).query();
        assertThat(query.languageCode()).isEqualTo("fr-CA");
        assertThat(query.botQueryId()).isEqualTo("q-cost-1");
        assertThat(query.metadata()).isEqualTo("d-meta");
        assertThat(query.users()).containsExactly(new QueryRequest.User("u-alice", "Alice"),
                new QueryRequest.User("u-bob", null));
        assertThat(query.tools()).singleElement().satisfies(tool -> {
            assertThat(tool.function().name()).isEqualTo("get_weather");
            assertThat(tool.function().parameters().path("required").get(0).asText()).isEqualTo("city");
        });
        assertThat(query.toolCalls()).singleElement().satisfies(call ->
                assertThat(call.function().arguments()).isEqualTo("{\"city\": \"Kathmandu\"}"));
        assertThat(query.toolResults()).singleElement().satisfies(result ->
                assertThat(result.toolCallId()).isEqualTo("call-1"));
        assertThat(query.extraParams().path("depth").asInt()).isEqualTo(2);
        assertThat(query.queryCreationTime()).isEqualTo(1733000003500000L);
        ProtocolMessage user = query.query().get(1);
        assertThat(user.sender()).isEqualTo(new ProtocolMessage.Sender("u-alice", "Alice"));
        assertThat(user.parameters().path("tone").asText()).isEqualTo("formal");
        assertThat(user.feedback()).containsExactly(new ProtocolMessage.Feedback(
                ProtocolMessage.FeedbackType.DISLIKE, "too long"));
        assertThat(user.referencedMessage().metadata()).isEqualTo("{\"run\": 1}");
        assertThat(user.attachments().get(0).inlineRef()).isEqualTo("ref-1");
        assertThat(query.query().get(2).messageType()).isEqualTo(ProtocolMessage.MessageType.FUNCTION_CALL);
        assertThat(query.query().get(3).isUnderstood()).as("tool messages are not sent upstream").isFalse();
    }

    @Test
    void valuesPoeMayAddLaterAreToleratedAndMissingOptionalKeysAreNull() {
        QueryRequest query = ((PoeRequest.Query) read(QUERY.replace("\"content\": \"hi\"", "\"content\": \"hi\", "
                + "\"feedback\": [{\"type\": \"love\"}], \"message_type\": \"a_new_kind\""))).query();
        assertThat(query.query().get(0).feedback()).containsExactly(new ProtocolMessage.Feedback(
                ProtocolMessage.FeedbackType.UNKNOWN, null));
        assertThat(query.query().get(0).messageType()).isEqualTo(ProtocolMessage.MessageType.UNKNOWN);
        assertThat(query.tools()).isNull();
        refused(QUERY.replace("\"message_id\": \"m\",", "\"message_id\": \"m\", \"users\": [{\"name\": \"x\"}],"),
                "field 'users[0].id' is required");
    }

    /** What this runtime read from {@code body}, written back in Poe's field names. */
    private JsonNode parsedAsJson(JsonNode body) {
        QueryRequest query = ((PoeRequest.Query) requests.read(body.toString().getBytes(StandardCharsets.UTF_8)))
                .query();
        try {
            // Through text, so that numbers compare as parsed JSON does (a long 0 as the int 0).
            ObjectNode written = (ObjectNode) JSON.readTree(JSON.writeValueAsString(query));
            return withoutNulls(written.put("type", "query"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The tree without null values (this runtime leaves absent what fastapi_poe writes as null) or keys. */
    private static JsonNode withoutNulls(JsonNode node) {
        if (node.isObject()) {
            ObjectNode copy = JSON.createObjectNode();
            node.fields().forEachRemaining(field -> {
                if (!field.getValue().isNull() && !List.of("access_key", "api_key").contains(field.getKey())) {
                    copy.set(field.getKey(), withoutNulls(field.getValue()));
                }
            });
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = JSON.createArrayNode();
            node.forEach(element -> copy.add(withoutNulls(element)));
            return copy;
        }
        return node;
    }
}
