package dev.botfleet.handler.poe;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/** One message of a Poe conversation. Unknown keys are ignored, as the protocol asks. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ProtocolMessage(
        @JsonProperty(value = "role", required = true) Role role,
        @JsonProperty(value = "content", required = true) String content,
        @JsonProperty("content_type") ContentType contentType,
        @JsonProperty("attachments") List<Attachment> attachments) {

    public ProtocolMessage {
        PoeRequestException.requireField(role, "role");
        PoeRequestException.requireField(content, "content");
        contentType = contentType == null ? ContentType.MARKDOWN : contentType;
        attachments = attachments == null ? List.of() : List.copyOf(attachments);
    }

    public ProtocolMessage(Role role, String content) {
        this(role, content, ContentType.MARKDOWN, List.of());
    }

    /** Whether the bot understands this message; others are skipped, as the protocol asks. */
    @JsonIgnore
    public boolean isUnderstood() {
        return role != Role.UNKNOWN && role != Role.TOOL && contentType != ContentType.UNKNOWN;
    }

    public enum Role {
        @JsonProperty("system") SYSTEM,
        @JsonProperty("user") USER,
        @JsonProperty("bot") BOT,
        @JsonProperty("tool") TOOL,
        @JsonEnumDefaultValue UNKNOWN
    }

    public enum ContentType {
        @JsonProperty("text/markdown") MARKDOWN,
        @JsonProperty("text/plain") PLAIN,
        @JsonEnumDefaultValue UNKNOWN
    }

    /** A file attached to a message; Poe fills {@code parsed_content} for text files and image descriptions. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Attachment(
            @JsonProperty("url") String url,
            @JsonProperty("content_type") String contentType,
            @JsonProperty("name") String name,
            @JsonProperty("parsed_content") String parsedContent) {
    }
}
