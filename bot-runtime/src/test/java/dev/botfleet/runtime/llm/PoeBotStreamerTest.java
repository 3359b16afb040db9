package dev.botfleet.runtime.llm;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.botfleet.handler.poe.ProtocolMessage;
import dev.botfleet.handler.poe.QueryRequest;
import dev.botfleet.runtime.poe.PoeRequest;
import dev.botfleet.runtime.poe.PoeRequests;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PoeBotStreamerTest {

    private static final PoeRequests REQUESTS = new PoeRequests(new ObjectMapper());

    /** A conversation as the runtime reads it from Poe. */
    private static QueryRequest conversation() {
        return ((PoeRequest.Query) REQUESTS.read("""
                {"version": "1.2", "type": "query", "user_id": "u", "conversation_id": "c", "message_id": "m",
                 "skip_system_prompt": true, "logit_bias": {"1": -100}, "temperature": 1.5,
                 "query": [
                   {"role": "user", "content": "oldest"},
                   {"role": "bot", "content": "old answer"},
                   {"role": "tool", "content": "{\\"result\\": 1}"},
                   {"role": "developer", "content": "a role from the future"},
                   {"role": "bot", "content": "answer", "content_type": "text/html"},
                   {"role": "user", "content": "newest"}]}""".getBytes(StandardCharsets.UTF_8))).query();
    }

    private static List<String> contents(QueryRequest request) {
        return request.query().stream().map(ProtocolMessage::content).toList();
    }

    @Test
    void theBotsPromptComesFirstAndWhatItCannotWriteAsItCameIsLeftOut() {
        QueryRequest relayed = PoeBotStreamer.relayed(conversation(), "Be a pirate.", 0, 0.2);

        assertThat(contents(relayed)).containsExactly("Be a pirate.", "oldest", "old answer", "{\"result\": 1}",
                "newest");
        assertThat(relayed.query().get(0).role()).isEqualTo(ProtocolMessage.Role.SYSTEM);
        assertThat(relayed.temperature()).isEqualTo(0.2);
        assertThat(relayed.skipSystemPrompt()).isFalse();
        assertThat(relayed.logitBias()).isEmpty();
        assertThat(relayed.messageId()).isEqualTo("m");
    }

    /** The budget counts the messages the bot understands; the tool result after the oldest kept one stays. */
    @Test
    void whatTheInputBudgetLeftOutIsNotRelayed() {
        assertThat(contents(PoeBotStreamer.relayed(conversation(), null, 1, null)))
                .containsExactly("old answer", "{\"result\": 1}", "newest");
        assertThat(contents(PoeBotStreamer.relayed(conversation(), "  ", 2, null))).containsExactly("newest");
    }
}
