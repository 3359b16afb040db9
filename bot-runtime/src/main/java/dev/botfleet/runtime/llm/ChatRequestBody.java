package dev.botfleet.runtime.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.openai.core.JsonValue;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.ReasoningEffort;
import com.openai.models.chat.completions.ChatCompletionAssistantMessageParam;
import com.openai.models.chat.completions.ChatCompletionContentPart;
import com.openai.models.chat.completions.ChatCompletionContentPartImage;
import com.openai.models.chat.completions.ChatCompletionContentPartText;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import dev.botfleet.handler.poe.ToolCall;
import dev.botfleet.handler.poe.ToolDefinition;

import java.util.ArrayList;
import java.util.List;

/**
 * The one place openai-java is used: its typed {@code ChatCompletionCreateParams} build and check the body of a
 * streaming chat completion request, which is written here as bytes for the runtime's own HTTP client.
 */
final class ChatRequestBody {

    /** OpenAI accepts at most this many stop sequences. */
    private static final int MAX_STOP_SEQUENCES = 4;
    /**
     * Writes openai-java's request types with the two settings of its own mapper they need (properties only, no
     * bean getters) and without that mapper's jackson-module-kotlin, whose Kotlin reflection cost 0.5-0.8 s of
     * start-up and CPU on every call (BENCHMARKS.md). ChatRequestBodyTest holds it to openai-java's own output.
     */
    private static final JsonMapper REQUEST_WRITER = JsonMapper.builder()
            .addModule(new Jdk8Module())
            .disable(MapperFeature.AUTO_DETECT_GETTERS, MapperFeature.AUTO_DETECT_IS_GETTERS)
            .build();

    /** Turns a tool's JSON schema into the plain values openai-java's {@code JsonValue} holds. */
    private static final JsonMapper SCHEMA_READER = JsonMapper.builder().build();

    private ChatRequestBody() {
    }

    static byte[] of(UpstreamStreamer.Call call) {
        return write(body(call));
    }

    static ChatCompletionCreateParams.Body body(UpstreamStreamer.Call call) {
        return params(call)._body().toBuilder().putAdditionalProperty("stream", JsonValue.from(true)).build();
    }

    static byte[] write(ChatCompletionCreateParams.Body body) {
        try {
            return REQUEST_WRITER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a chat completion request", e);
        }
    }

    /** A function the caller offers the model; its parameters stay the JSON schema the caller sent. */
    private static ChatCompletionFunctionTool tool(ToolDefinition tool) {
        FunctionDefinition.Builder function = FunctionDefinition.builder().name(tool.function().name());
        if (tool.function().description() != null) {
            function.description(tool.function().description());
        }
        if (tool.function().parameters() != null) {
            FunctionParameters.Builder parameters = FunctionParameters.builder();
            tool.function().parameters().properties().forEach(field -> parameters.putAdditionalProperty(
                    field.getKey(), JsonValue.from(SCHEMA_READER.convertValue(field.getValue(), Object.class))));
            function.parameters(parameters.build());
        }
        return ChatCompletionFunctionTool.builder().function(function.build()).build();
    }

    /** The assistant's function calls of the previous turn. */
    private static ChatCompletionAssistantMessageParam toolCalls(List<ToolCall> calls) {
        ChatCompletionAssistantMessageParam.Builder message = ChatCompletionAssistantMessageParam.builder();
        for (ToolCall call : calls) {
            message.addToolCall(ChatCompletionMessageFunctionToolCall.builder().id(call.id())
                    .function(ChatCompletionMessageFunctionToolCall.Function.builder()
                            .name(call.function().name()).arguments(call.function().arguments()).build())
                    .build());
        }
        return message.build();
    }

    /** The message's text, then each image as an image_url part. */
    private static List<ChatCompletionContentPart> parts(ChatMessage message) {
        List<ChatCompletionContentPart> parts = new ArrayList<>();
        parts.add(ChatCompletionContentPart.ofText(ChatCompletionContentPartText.builder()
                .text(message.content()).build()));
        for (String image : message.images()) {
            parts.add(ChatCompletionContentPart.ofImageUrl(ChatCompletionContentPartImage.builder()
                    .imageUrl(ChatCompletionContentPartImage.ImageUrl.builder().url(image).build()).build()));
        }
        return parts;
    }

    private static ChatCompletionCreateParams params(UpstreamStreamer.Call call) {
        ChatCompletionCreateParams.Builder params = ChatCompletionCreateParams.builder()
                .model(call.model())
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build());
        for (ChatMessage message : call.messages()) {
            switch (message.role()) {
                case SYSTEM -> params.addSystemMessage(message.content());
                case ASSISTANT -> {
                    if (message.toolCalls().isEmpty()) {
                        params.addAssistantMessage(message.content());
                    } else {
                        params.addMessage(toolCalls(message.toolCalls()));
                    }
                }
                case TOOL -> params.addMessage(ChatCompletionToolMessageParam.builder()
                        .toolCallId(message.toolCallId()).content(message.content()).build());
                default -> {
                    if (message.images().isEmpty()) {
                        params.addUserMessage(message.content());
                    } else {
                        params.addUserMessageOfArrayOfContentParts(parts(message));
                    }
                }
            }
        }
        if (call.temperature() != null) {
            params.temperature(call.temperature());
        }
        if (call.maxTokens() != null) {
            params.maxTokens(call.maxTokens().longValue());
        }
        if (call.reasoningEffort() != null) {
            params.reasoningEffort(ReasoningEffort.of(call.reasoningEffort()));
        }
        call.tools().forEach(tool -> params.addTool(tool(tool)));
        if (!call.stopSequences().isEmpty()) {
            params.stop(ChatCompletionCreateParams.Stop.ofStrings(
                    call.stopSequences().subList(0, Math.min(MAX_STOP_SEQUENCES, call.stopSequences().size()))));
        }
        return params.build();
    }
}
