package dev.botfleet.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.botfleet.testing.FakeOpenAiServer.Reply;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A request's tools reach the provider; its tool calls come back as Poe's bot API carries them. */
class FunctionCallingTest extends RuntimeTestBase {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode withTools(String extra) throws Exception {
        ObjectNode query = PoeClient.query("What is the weather in Oslo?");
        query.set("tools", JSON.readTree("""
                [{"type": "function", "function": {"name": "get_weather", "description": "The weather",
                  "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}}]
                """));
        JSON.readerForUpdating(query).readValue(extra);
        return query;
    }

    @Test
    void theModelsToolCallsStreamAsJsonChunksAndTheAnswerIsNotEmpty() throws Exception {
        UPSTREAM.enqueue(Reply.toolCall("call_1", "get_weather", "{\"city\": ", "\"Oslo\"}"));
        List<SseEvents.Event> events = poe.ask("open", withTools("{}"));

        assertThat(SseEvents.names(events)).doesNotContain("error", "text").contains("json").endsWith("done");
        List<JsonNode> calls = events.stream().filter(e -> e.name().equals("json"))
                .map(e -> e.data().at("/choices/0/delta/tool_calls/0")).toList();
        assertThat(calls.get(0).path("id").asText()).isEqualTo("call_1");
        assertThat(calls.get(0).at("/function/name").asText()).isEqualTo("get_weather");
        assertThat(calls.stream().map(call -> call.at("/function/arguments").asText()).reduce("", String::concat))
                .isEqualTo("{\"city\": \"Oslo\"}");
        assertThat(events.get(0).data().path("object").asText()).isEqualTo("chat.completion.chunk");
        assertThat(UPSTREAM.lastRequest().body().at("/tools/0/function/name").asText()).isEqualTo("get_weather");
    }

    @Test
    void theCallsAndTheirResultsFollowTheMessageBeingAnswered() throws Exception {
        UPSTREAM.enqueue(Reply.chunks("It is 3 degrees."));
        List<SseEvents.Event> events = poe.ask("open", withTools("""
                {"tool_calls": [{"id": "call_1", "type": "function",
                                 "function": {"name": "get_weather", "arguments": "{\\"city\\": \\"Oslo\\"}"}}],
                 "tool_results": [{"role": "tool", "name": "get_weather", "tool_call_id": "call_1",
                                   "content": "{\\"temperature_c\\": 3}"}]}"""));

        assertThat(SseEvents.answer(events)).isEqualTo("It is 3 degrees.");
        assertThat(UPSTREAM.lastRequest().messages()).endsWith("user: What is the weather in Oslo?", "assistant: ",
                "tool: {\"temperature_c\": 3}");
        JsonNode calls = UPSTREAM.lastRequest().body().path("messages").get(2);
        assertThat(calls.at("/tool_calls/0/function/name").asText()).isEqualTo("get_weather");
        assertThat(UPSTREAM.lastRequest().body().path("messages").get(3).path("tool_call_id").asText())
                .isEqualTo("call_1");
    }

    @Test
    void withoutToolsNothingOfThemIsSent() {
        poe.ask("open", "hi");
        assertThat(UPSTREAM.lastRequest().body().has("tools")).isFalse();
    }
}
