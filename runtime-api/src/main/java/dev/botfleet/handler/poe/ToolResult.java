package dev.botfleet.handler.poe;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** What one of the previous turn's function calls returned. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ToolResult(@JsonProperty("role") String role,
                         @JsonProperty("name") String name,
                         @JsonProperty(value = "tool_call_id", required = true) String toolCallId,
                         @JsonProperty(value = "content", required = true) String content) {

    public ToolResult {
        PoeRequestException.requireField(toolCallId, "tool_results[].tool_call_id");
        PoeRequestException.requireField(content, "tool_results[].content");
    }
}
