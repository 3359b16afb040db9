package dev.botfleet.handler.poe;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A function offered to the bot, in OpenAI's shape: {@code {"type": "function", "function": {name, description,
 * parameters}}}. The parameters stay the JSON schema they were sent as, keys Poe's library does not name included.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ToolDefinition(@JsonProperty("type") String type,
                             @JsonProperty(value = "function", required = true) Function function) {

    public ToolDefinition {
        PoeRequestException.requireField(function, "tools[].function");
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Function(@JsonProperty(value = "name", required = true) String name,
                           @JsonProperty("description") String description,
                           @JsonProperty("parameters") ObjectNode parameters) {

        public Function {
            PoeRequestException.requireField(name, "tools[].function.name");
        }
    }
}
