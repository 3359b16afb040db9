package dev.botfleet.runtime;

import dev.botfleet.runtime.poe.UserError;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.botfleet.testing.FakeOpenAiServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A bot's spec.limits, through the Poe endpoint: a query over a limit never reaches the provider. */
class BotLimitsTest extends RuntimeTestBase {

    private static ObjectNode from(String user) {
        return PoeClient.query("hello there").put("user_id", user);
    }

    private double limited(String limit) {
        var counter = registry.find("botfleet.queries.limited").tags("bot", "limited", "limit", limit).counter();
        return counter == null ? 0 : counter.count();
    }

    /** Opens an answer from {@code user} and returns once its first text has arrived. */
    private InputStream openAnswer(String user) throws IOException {
        InputStream answer = poe.open("limited", from(user));
        StringBuilder read = new StringBuilder();
        while (!read.toString().contains("event: text")) {
            int next = answer.read();
            assertThat(next).as("the answer ended before its first text: " + read).isNotNegative();
            read.append((char) next);
        }
        return answer;
    }

    private static String slowWords() {
        return "word ".repeat(40);
    }

    @Test
    void aUserOverTheRateGetsAnErrorAndTheProviderNeverSeesIt() {
        for (int i = 0; i < 3; i++) {
            assertThat(SseEvents.names(poe.ask("limited", from("rate-user")))).contains("text").doesNotContain("error");
        }
        List<SseEvents.Event> refused = poe.ask("limited", from("rate-user"));

        assertThat(SseEvents.names(refused)).containsExactly("error", "done");
        assertTold(refused.get(0), UserError.TOO_FAST, 3);
        assertThat(refused.get(0).text()).contains("at most 3 a minute");
        assertThat(UPSTREAM.requests()).hasSize(3);
        assertThat(limited("requests_per_minute_per_user")).isEqualTo(1);
        assertThat(SseEvents.names(poe.ask("limited", from("another-user")))).doesNotContain("error");
    }

    @Test
    void aUserWithAnAnswerStreamingWaitsForItToEnd() throws IOException {
        UPSTREAM.enqueue(FakeOpenAiServer.Reply.stream(Duration.ofMillis(100), slowWords().split("(?<= )")));
        try (InputStream first = openAnswer("busy-user")) {
            List<SseEvents.Event> refused = poe.ask("limited", from("busy-user"));

            assertThat(SseEvents.names(refused)).containsExactly("error", "done");
            assertTold(refused.get(0), UserError.TOO_MANY_AT_ONCE, 1);
            assertThat(refused.get(0).text()).contains("already have an answer");
            assertThat(UPSTREAM.requests()).hasSize(1);
            assertThat(limited("concurrent_answers_per_user")).isGreaterThanOrEqualTo(1);
        }
        await().atMost(Duration.ofSeconds(5)).until(() ->
                !SseEvents.names(poe.ask("limited", from("busy-user"))).contains("error"));
    }

    @Test
    void theWholeBotTakesAtMostItsConcurrentAnswers() throws IOException {
        UPSTREAM.enqueue(FakeOpenAiServer.Reply.stream(Duration.ofMillis(100), slowWords().split("(?<= )")),
                FakeOpenAiServer.Reply.stream(Duration.ofMillis(100), slowWords().split("(?<= )")));
        try (InputStream first = openAnswer("crowd-1"); InputStream second = openAnswer("crowd-2")) {
            List<SseEvents.Event> refused = poe.ask("limited", from("crowd-3"));

            assertThat(SseEvents.names(refused)).containsExactly("error", "done");
            assertTold(refused.get(0), UserError.BOT_BUSY);
            assertThat(UPSTREAM.requests()).hasSize(2);
            assertThat(limited("concurrent_answers")).isGreaterThanOrEqualTo(1);
        }
        await().atMost(Duration.ofSeconds(5)).until(() ->
                !SseEvents.names(poe.ask("limited", from("crowd-3"))).contains("error"));
    }
}
