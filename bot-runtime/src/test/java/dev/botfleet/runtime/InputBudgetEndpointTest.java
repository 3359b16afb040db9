package dev.botfleet.runtime;

import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.system.CapturedOutput;
import org.junit.jupiter.api.extension.ExtendWith;
import dev.botfleet.runtime.poe.UserError;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A bot's maxInputTokens, through the Poe endpoint: what the provider receives, or that it receives nothing. */
@ExtendWith(OutputCaptureExtension.class)
class InputBudgetEndpointTest extends RuntimeTestBase {

    /** A conversation of {@code turns} user/bot messages of about 20 tokens each, then {@code last}. */
    private static ObjectNode conversation(int turns, String last) {
        ObjectNode body = PoeClient.query("unused");
        ArrayNode query = body.putArray("query");
        for (int i = 0; i < turns; i++) {
            query.addObject().put("role", i % 2 == 0 ? "user" : "bot")
                    .put("content", "turn " + i + " says something about the weather and the sea today");
        }
        query.addObject().put("role", "user").put("content", last);
        return body;
    }

    private double counted(String meter) {
        var counter = registry.find(meter).tags("bot", "budgeted").counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void theOldestTurnsAreLeftOutAndThePromptAndTheLatestMessageStay() {
        double trimmedBefore = counted("botfleet.conversations.trimmed");
        double turnsBefore = counted("botfleet.turns.trimmed");

        List<SseEvents.Event> events = poe.ask("budgeted", conversation(12, "And tomorrow?"));

        assertThat(SseEvents.names(events)).contains("text").doesNotContain("error");
        List<String> sent = UPSTREAM.lastRequest().messages();
        assertThat(sent.get(0)).isEqualTo("system: Keep it short.");
        assertThat(sent.get(sent.size() - 1)).isEqualTo("user: And tomorrow?");
        assertThat(sent).hasSizeBetween(3, 8).doesNotContain(
                "user: turn 0 says something about the weather and the sea today");
        assertThat(sent.get(sent.size() - 2)).as("the newest turns are the ones kept").contains("turn 11");
        int kept = sent.size() - 2;
        assertThat(sent.get(1)).contains("turn " + (12 - kept));
        assertThat(counted("botfleet.conversations.trimmed")).isEqualTo(trimmedBefore + 1);
        assertThat(counted("botfleet.turns.trimmed")).isEqualTo(turnsBefore + 12 - kept);
    }

    @Test
    void aShortConversationIsSentWhole() {
        poe.ask("budgeted", conversation(2, "Fine."));

        assertThat(UPSTREAM.lastRequest().messages()).hasSize(4);
    }

    @Test
    void aMessageThatCannotFitIsRefusedAsTooLongAndNeverSent(CapturedOutput output) {
        List<SseEvents.Event> events = poe.ask("budgeted", conversation(4, "word ".repeat(300)));

        assertThat(SseEvents.names(events)).containsExactly("error", "done");
        assertTold(events.get(0), UserError.MESSAGE_TOO_LONG);
        assertThat(events.get(0).data().path("error_type").asText()).isEqualTo("user_message_too_long");
        assertThat(ownerLog(output, "budgeted")).contains("INFO", "maxInputTokens 100");
        assertThat(UPSTREAM.requests()).isEmpty();
        assertThat(registry.find("botfleet.queries").tags("bot", "budgeted", "outcome", "too_long").counter())
                .isNotNull();
    }
}
