package dev.botfleet.handler.poe;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Objects;

/** A Poe {@code query} request: the conversation so far, newest message last. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record QueryRequest(
        @JsonProperty("version") String version,
        @JsonProperty(value = "query", required = true) List<ProtocolMessage> query,
        @JsonProperty(value = "user_id", required = true) String userId,
        @JsonProperty(value = "conversation_id", required = true) String conversationId,
        @JsonProperty(value = "message_id", required = true) String messageId,
        @JsonProperty("temperature") Double temperature,
        @JsonProperty("stop_sequences") List<String> stopSequences) {

    /** The protocol version this runtime speaks, as Poe sends it in every request. */
    public static final String PROTOCOL_VERSION = "1.2";

    public QueryRequest {
        PoeRequestException.requireField(query, "query");
        PoeRequestException.requireField(userId, "user_id");
        PoeRequestException.requireField(conversationId, "conversation_id");
        PoeRequestException.requireField(messageId, "message_id");
        if (query.isEmpty()) {
            throw new PoeRequestException(400, "query must hold at least one message");
        }
        if (query.stream().anyMatch(Objects::isNull)) {
            throw new PoeRequestException(400, "query must not contain null messages");
        }
        if (temperature != null && (temperature < 0 || temperature.isNaN())) {
            throw new PoeRequestException(400, "temperature must be 0 or greater");
        }
        query = List.copyOf(query);
        stopSequences = stopSequences == null ? List.of() : List.copyOf(stopSequences);
    }

    /** The messages the bot understands; messages of unknown role or content type are skipped. */
    public List<ProtocolMessage> understoodMessages() {
        return query.stream().filter(ProtocolMessage::isUnderstood).toList();
    }

    /** The text of the newest user message, or empty. */
    public String lastUserMessage() {
        for (int i = query.size() - 1; i >= 0; i--) {
            if (query.get(i).role() == ProtocolMessage.Role.USER) {
                return query.get(i).content();
            }
        }
        return "";
    }
}
