package dev.botfleet.runtime.poe;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.botfleet.handler.poe.PoeRequestException;
import dev.botfleet.handler.poe.QueryRequest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each way a Poe request body can be broken gets a 400 naming what is wrong. */
class PoeRequestsTest {

    private final PoeRequests requests = new PoeRequests(new ObjectMapper());

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
}
