package dev.botfleet.handler.poe;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** A function call the model made on the previous turn; {@code arguments} is the JSON text the model wrote. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ToolCall(@JsonProperty(value = "id", required = true) String id,
                       @JsonProperty("type") String type,
                       @JsonProperty(value = "function", required = true) Function function) {

    public ToolCall {
        PoeRequestException.requireField(id, "tool_calls[].id");
        PoeRequestException.requireField(function, "tool_calls[].function");
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Function(@JsonProperty(value = "name", required = true) String name,
                           @JsonProperty(value = "arguments", required = true) String arguments) {

        public Function {
            PoeRequestException.requireField(name, "tool_calls[].function.name");
            PoeRequestException.requireField(arguments, "tool_calls[].function.arguments");
        }
    }
}
