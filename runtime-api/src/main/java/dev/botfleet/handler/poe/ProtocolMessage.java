package dev.botfleet.handler.poe;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * One message of a Poe conversation, with everything Poe sends about it. Unknown keys, roles and content types are
 * tolerated, as the protocol asks: such messages are kept but not {@linkplain #isUnderstood() understood}.
 *
 * @param timestamp         when the message was written, in microseconds since the epoch (0 when not sent)
 * @param senderId          deprecated by Poe in favour of {@code sender}
 * @param sender            who wrote the message, in multi-user and multi-bot chats; null when Poe sends none
 * @param messageType       {@link MessageType#FUNCTION_CALL} for a function call, else null
 * @param parameters        the values the user chose in the bot's parameter controls
 * @param metadata          what a {@code data} event attached to this bot message earlier, or null
 * @param referencedMessage the message this one quotes or replies to, or null
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProtocolMessage(
        @JsonProperty(value = "role", required = true) Role role,
        @JsonProperty(value = "content", required = true) String content,
        @JsonProperty("content_type") ContentType contentType,
        @JsonProperty("attachments") List<Attachment> attachments,
        @JsonProperty("timestamp") Long timestamp,
        @JsonProperty("message_id") String messageId,
        @JsonProperty("sender_id") String senderId,
        @JsonProperty("sender") Sender sender,
        @JsonProperty("message_type") MessageType messageType,
        @JsonProperty("parameters") ObjectNode parameters,
        @JsonProperty("feedback") List<Feedback> feedback,
        @JsonProperty("metadata") String metadata,
        @JsonProperty("referenced_message") ProtocolMessage referencedMessage,
        @JsonProperty("reactions") List<Reaction> reactions) {

    public ProtocolMessage {
        PoeRequestException.requireField(role, "role");
        PoeRequestException.requireField(content, "content");
        contentType = contentType == null ? ContentType.MARKDOWN : contentType;
        attachments = attachments == null ? List.of() : List.copyOf(attachments);
        timestamp = timestamp == null ? 0L : timestamp;
        messageId = messageId == null ? "" : messageId;
        parameters = parameters == null ? JsonNodeFactory.instance.objectNode() : parameters;
        feedback = feedback == null ? List.of() : List.copyOf(feedback);
        reactions = reactions == null ? List.of() : List.copyOf(reactions);
    }

    public ProtocolMessage(Role role, String content) {
        this(role, content, null, null);
    }

    public ProtocolMessage(Role role, String content, ContentType contentType, List<Attachment> attachments) {
        this(role, content, contentType, attachments, null, null, null, null, null, null, null, null, null, null);
    }

    /** The same message with other text, everything else kept. */
    public ProtocolMessage withContent(String replaced) {
        return new ProtocolMessage(role, replaced, contentType, attachments, timestamp, messageId, senderId, sender,
                messageType, parameters, feedback, metadata, referencedMessage, reactions);
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

    public enum MessageType {
        @JsonProperty("function_call") FUNCTION_CALL,
        @JsonEnumDefaultValue UNKNOWN
    }

    /**
     * A file attached to a message. Poe fills {@code parsed_content} with a text file's text and, for images, with
     * {@code <file name>***<description>}; {@code inline_ref} names an attachment rendered inline.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Attachment(
            @JsonProperty("url") String url,
            @JsonProperty("content_type") String contentType,
            @JsonProperty("name") String name,
            @JsonProperty("inline_ref") String inlineRef,
            @JsonProperty("parsed_content") String parsedContent) {

        public Attachment(String url, String contentType, String name, String parsedContent) {
            this(url, contentType, name, null, parsedContent);
        }
    }

    /** Who wrote a message; either part may be unknown. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Sender(@JsonProperty("id") String id, @JsonProperty("name") String name) {
    }

    /** A like or dislike of a bot message, with the user's reason when they gave one. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Feedback(@JsonProperty(value = "type", required = true) FeedbackType type,
                           @JsonProperty("reason") String reason) {

        public Feedback {
            PoeRequestException.requireField(type, "feedback[].type");
        }
    }

    public enum FeedbackType {
        @JsonProperty("like") LIKE,
        @JsonProperty("dislike") DISLIKE,
        @JsonEnumDefaultValue UNKNOWN
    }

    /** A reaction a user put on a message. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Reaction(@JsonProperty(value = "user_id", required = true) String userId,
                           @JsonProperty(value = "reaction", required = true) String reaction) {

        public Reaction {
            PoeRequestException.requireField(userId, "reactions[].user_id");
            PoeRequestException.requireField(reaction, "reactions[].reaction");
        }
    }
}
