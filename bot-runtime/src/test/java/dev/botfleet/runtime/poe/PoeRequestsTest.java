package dev.botfleet.runtime.poe;

import com.fasterxml.jackson.databind.ObjectMapper;
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
        assertThatThrownBy(() -> requests.query(requests.readBody(body.getBytes(StandardCharsets.UTF_8))))
                .isInstanceOfSatisfying(PoeRequestException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage()).isEqualTo(message);
                });
    }

    @Test
    void aWellFormedQueryIsRead() {
        QueryRequest query = requests.query(requests.readBody(QUERY.getBytes(StandardCharsets.UTF_8)));
        assertThat(PoeRequests.type(requests.readBody(QUERY.getBytes(StandardCharsets.UTF_8)))).isEqualTo("query");
        assertThat(query.query()).hasSize(1);
        assertThat(query.query().get(0).content()).isEqualTo("hi");
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
