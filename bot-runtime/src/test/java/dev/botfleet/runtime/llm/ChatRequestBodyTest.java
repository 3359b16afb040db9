package dev.botfleet.runtime.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.botfleet.handler.poe.ToolCall;
import dev.botfleet.handler.poe.ToolDefinition;
import com.openai.core.ObjectMappers;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The request body as openai-java itself would write it, with the stop sequences OpenAI accepts. */
class ChatRequestBodyTest {

    private static final UpstreamStreamer.Call CALL = new UpstreamStreamer.Call("gpt-4o-mini",
            List.of(ChatMessage.system("Be brief."), ChatMessage.user("Hi"), ChatMessage.assistant("Hello"),
                    ChatMessage.user("Again", List.of("https://example.com/chart.png")),
                    ChatMessage.toolCalls(List.of(new ToolCall("call-1", "function",
                            new ToolCall.Function("get_weather", "{\"city\": \"Oslo\"}")))),
                    ChatMessage.toolResult("call-1", "{\"temperature\": 3}")),
            0.25, 64, "low", List.of(weatherTool()), List.of("a", "b", "c", "d", "e"),
            Optional.of("sk-not-in-the-body"));

    private static ToolDefinition weatherTool() {
        try {
            return new ToolDefinition("function", new ToolDefinition.Function("get_weather", "The weather in a city",
                    (ObjectNode) new ObjectMapper().readTree("""
                            {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"],
                             "additionalProperties": false}""")));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theBytesAreWhatOpenAiJavasOwnMapperWrites() throws Exception {
        ChatCompletionCreateParams.Body body = ChatRequestBody.body(CALL);
        ObjectMapper reader = new ObjectMapper();

        assertThat(reader.readTree(ChatRequestBody.write(body)))
                .isEqualTo(reader.readTree(ObjectMappers.jsonMapper().writeValueAsBytes(body)));
    }

    @Test
    void theBodyAsksForAStreamWithUsageAndKeepsFourStopSequences() throws Exception {
        JsonNode body = new ObjectMapper().readTree(ChatRequestBody.of(CALL));

        assertThat(body.path("model").asText()).isEqualTo("gpt-4o-mini");
        assertThat(body.path("stream").asBoolean()).isTrue();
        assertThat(body.path("stream_options").path("include_usage").asBoolean()).isTrue();
        assertThat(body.path("temperature").asDouble()).isEqualTo(0.25);
        assertThat(body.path("max_tokens").asInt()).isEqualTo(64);
        assertThat(body.path("reasoning_effort").asText()).isEqualTo("low");
        assertThat(body.path("stop")).hasSize(4);
        assertThat(body.path("messages").findValuesAsText("role"))
                .containsExactly("system", "user", "assistant", "user", "assistant", "tool");
        assertThat(body.toString()).doesNotContain("sk-not-in-the-body");
        JsonNode parts = body.path("messages").get(3).path("content");
        assertThat(parts.get(0).path("text").asText()).isEqualTo("Again");
        assertThat(parts.get(1).path("image_url").path("url").asText()).isEqualTo("https://example.com/chart.png");
    }

    /** Function calling: the tools as the caller sent them, the model's calls and their results. */
    @Test
    void toolsTheirCallsAndTheirResultsAreSentInOpenAisShapes() throws Exception {
        JsonNode body = new ObjectMapper().readTree(ChatRequestBody.of(CALL));

        assertThat(body.path("tools").get(0).path("type").asText()).isEqualTo("function");
        assertThat(body.at("/tools/0/function/name").asText()).isEqualTo("get_weather");
        assertThat(body.at("/tools/0/function/parameters")).isEqualTo(weatherTool().function().parameters());
        JsonNode calls = body.path("messages").get(4);
        assertThat(calls.at("/tool_calls/0/id").asText()).isEqualTo("call-1");
        assertThat(calls.at("/tool_calls/0/type").asText()).isEqualTo("function");
        assertThat(calls.at("/tool_calls/0/function/arguments").asText()).isEqualTo("{\"city\": \"Oslo\"}");
        JsonNode result = body.path("messages").get(5);
        assertThat(result.path("tool_call_id").asText()).isEqualTo("call-1");
        assertThat(result.path("content").asText()).isEqualTo("{\"temperature\": 3}");
    }
}
