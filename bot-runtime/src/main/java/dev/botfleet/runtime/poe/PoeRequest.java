package dev.botfleet.runtime.poe;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.botfleet.handler.poe.QueryRequest;

/**
 * One Poe request, typed by its {@code type}. Reports carry what Poe sends but none is required: they are
 * acknowledged, not kept.
 */
public sealed interface PoeRequest {

    record Query(QueryRequest query) implements PoeRequest {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Settings(@JsonProperty("version") String version) implements PoeRequest {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record ReportFeedback(@JsonProperty("message_id") String messageId,
                          @JsonProperty("user_id") String userId,
                          @JsonProperty("conversation_id") String conversationId,
                          @JsonProperty("feedback_type") String feedbackType) implements PoeRequest {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record ReportReaction(@JsonProperty("message_id") String messageId,
                          @JsonProperty("user_id") String userId,
                          @JsonProperty("conversation_id") String conversationId,
                          @JsonProperty("reaction") String reaction) implements PoeRequest {
    }

    /** Poe's word that an answer of the bot broke; its message may quote the answer, so it is not logged. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record ReportError(@JsonProperty("message") String message,
                       @JsonProperty("metadata") JsonNode metadata) implements PoeRequest {
    }

    /** A type this runtime does not know; answered 501 as the reference server does. */
    record Unsupported(String type) implements PoeRequest {
    }
}
