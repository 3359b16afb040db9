package dev.botfleet.runtime.llm;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * The fields of a {@code chat.completion.chunk} the runtime relays. Read with plain Jackson: openai-java's own chunk
 * type is built through Kotlin reflection, which dominated the runtime's cost of relaying a chunk.
 *
 * @param error an error object some providers stream in place of a chunk
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record StreamChunk(List<Choice> choices, Usage usage, JsonNode error) {

    List<Choice> choicesOrEmpty() {
        return choices == null ? List.of() : choices;
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Choice(int index, Delta delta, @JsonProperty("finish_reason") String finishReason) {

        String content() {
            return delta == null || delta.content() == null ? "" : delta.content();
        }

        /** The tool call deltas of this chunk, or null. */
        JsonNode toolCalls() {
            return delta == null || delta.toolCalls() == null || delta.toolCalls().isEmpty() ? null
                    : delta.toolCalls();
        }
    }

    /** @param toolCalls the model's function calls, streamed in parts, as the provider sent them */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Delta(String content, @JsonProperty("tool_calls") JsonNode toolCalls) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Usage(@JsonProperty("prompt_tokens") long promptTokens,
                 @JsonProperty("completion_tokens") long completionTokens) {
    }
}
