package dev.botfleet.handler.poe;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A Poe {@code query} request: the conversation so far, newest message last, and everything Poe sends with it.
 * Absent fields take the defaults of Poe's reference library (fastapi_poe); unknown fields are ignored, as Poe adds
 * fields often. The {@code access_key} and {@code api_key} fields are never read: the bot's key lives in a Secret.
 *
 * @param metadata          Poe's own metadata for this query ({@code d-…}); forwarded unchanged when calling other
 *                          Poe bots
 * @param skipSystemPrompt  the caller's hint to leave the prompt unmodified
 * @param logitBias         token id to bias, -100 to 100
 * @param languageCode      BCP 47 language of the user's client; what user-facing texts are translated to
 * @param adoptCurrentBotName asks a called bot to take on the caller's identity
 * @param botQueryId        the id Poe's cost API charges this query under
 * @param users             the participants of a multi-user chat
 * @param tools             function definitions offered to the bot, or null
 * @param toolCalls         the function calls made on the previous turn, or null
 * @param toolResults       the results of those calls, or null
 * @param queryCreationTime when Poe created the query, in microseconds since the epoch, or null
 * @param extraParams       free-form parameters, or null
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record QueryRequest(
        @JsonProperty("version") String version,
        @JsonProperty(value = "query", required = true) List<ProtocolMessage> query,
        @JsonProperty(value = "user_id", required = true) String userId,
        @JsonProperty(value = "conversation_id", required = true) String conversationId,
        @JsonProperty(value = "message_id", required = true) String messageId,
        @JsonProperty("metadata") String metadata,
        @JsonProperty("temperature") Double temperature,
        @JsonProperty("skip_system_prompt") Boolean skipSystemPrompt,
        @JsonProperty("logit_bias") Map<String, Double> logitBias,
        @JsonProperty("stop_sequences") List<String> stopSequences,
        @JsonProperty("language_code") String languageCode,
        @JsonProperty("adopt_current_bot_name") Boolean adoptCurrentBotName,
        @JsonProperty("bot_query_id") String botQueryId,
        @JsonProperty("users") List<User> users,
        @JsonProperty("tools") List<ToolDefinition> tools,
        @JsonProperty("tool_calls") List<ToolCall> toolCalls,
        @JsonProperty("tool_results") List<ToolResult> toolResults,
        @JsonProperty("query_creation_time") Long queryCreationTime,
        @JsonProperty("extra_params") ObjectNode extraParams) {

    /** The protocol version this runtime speaks, as Poe sends it in every request. */
    public static final String PROTOCOL_VERSION = "1.2";
    /** The language Poe assumes when a request names none. */
    public static final String DEFAULT_LANGUAGE = "en";

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
        metadata = metadata == null ? "" : metadata;
        skipSystemPrompt = Boolean.TRUE.equals(skipSystemPrompt);
        logitBias = logitBias == null ? Map.of() : Map.copyOf(logitBias);
        stopSequences = stopSequences == null ? List.of() : List.copyOf(stopSequences);
        languageCode = languageCode == null || languageCode.isBlank() ? DEFAULT_LANGUAGE : languageCode;
        botQueryId = botQueryId == null ? "" : botQueryId;
        users = users == null ? List.of() : List.copyOf(users);
        tools = tools == null ? null : List.copyOf(tools);
        toolCalls = toolCalls == null ? null : List.copyOf(toolCalls);
        toolResults = toolResults == null ? null : List.copyOf(toolResults);
    }

    /** A query as a client starts a conversation: these messages and Poe's defaults for everything else. */
    public static QueryRequest of(List<ProtocolMessage> query, String userId, String conversationId,
                                  String messageId) {
        return new QueryRequest(PROTOCOL_VERSION, query, userId, conversationId, messageId, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null);
    }

    /** The same request with other messages, for handlers that rewrite the conversation before answering it. */
    public QueryRequest withQuery(List<ProtocolMessage> messages) {
        return new QueryRequest(version, messages, userId, conversationId, messageId, metadata, temperature,
                skipSystemPrompt, logitBias, stopSequences, languageCode, adoptCurrentBotName, botQueryId, users,
                tools, toolCalls, toolResults, queryCreationTime, extraParams);
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

    /** A participant of a multi-user chat. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record User(@JsonProperty(value = "id", required = true) String id,
                       @JsonProperty("name") String name) {

        public User {
            PoeRequestException.requireField(id, "users[].id");
        }
    }
}
