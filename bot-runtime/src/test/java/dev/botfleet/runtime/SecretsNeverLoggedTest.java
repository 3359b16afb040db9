package dev.botfleet.runtime;

import dev.botfleet.testing.FakeOpenAiServer.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.TestPropertySource;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Runs the scenarios that touch keys with the runtime, Reactor Netty and Spring web logging at DEBUG, and searches
 * everything written, every answer and every metric for the keys.
 */
@ExtendWith(OutputCaptureExtension.class)
@TestPropertySource(properties = {"logging.level.dev.botfleet=DEBUG", "logging.level.com.openai=DEBUG",
        "logging.level.reactor.netty=DEBUG", "logging.level.org.springframework.web=DEBUG"})
class SecretsNeverLoggedTest extends RuntimeTestBase {

    @Test
    void noKeyAppearsInLogsAnswersOrMetrics(CapturedOutput output) {
        StringBuilder seen = new StringBuilder();
        String auth = bearer(ECHO_ACCESS_KEY);
        seen.append(poe.post("/bots/echo", PoeClient.query("hello"), "Authorization", auth).body());
        seen.append(poe.post("/bots/echo", PoeClient.query("hello"), "Authorization", "Bearer wrong").body());
        seen.append(poe.post("/bots/echo", PoeClient.query("/botinfo"), "Authorization", auth).body());
        seen.append(poe.post("/bots/echo", "{\"version\":\"1.2\",\"type\":\"settings\"}", "Authorization", auth).body());
        UPSTREAM.enqueue(Reply.status(401));
        seen.append(poe.post("/bots/open", PoeClient.query("rejected")).body());
        UPSTREAM.enqueue(Reply.status(503), Reply.status(503), Reply.status(503));
        seen.append(poe.post("/bots/open", PoeClient.query("unavailable")).body());
        seen.append(poe.post("/bots/unkeyed", PoeClient.query("no key")).body());
        seen.append(poe.get("/bots").body());
        seen.append(poe.get("/actuator/health/readiness").body());
        seen.append(poe.get("/actuator/prometheus").body());

        // A manifest change that fails, with a Secret document in it.
        write(MANIFESTS, fleet(UPSTREAM.baseUrl()) + "---\napiVersion: v1\nkind: Secret\nmetadata: {name: inline}\n"
                + "stringData: {key: " + UPSTREAM_KEY + "-inline\n");
        await().atMost(Duration.ofSeconds(5)).until(() -> poe.get("/actuator/health/readiness").body()
                .contains("lastReloadError"));
        seen.append(poe.get("/actuator/health/readiness").body());
        write(MANIFESTS, fleet(UPSTREAM.baseUrl()));
        await().atMost(Duration.ofSeconds(5)).until(() -> !poe.get("/actuator/health/readiness").body()
                .contains("lastReloadError"));

        String everything = output.getAll() + seen;
        assertThat(output.getAll()).as("DEBUG logging really ran").contains("DEBUG");
        for (String secret : List.of(UPSTREAM_KEY, ECHO_ACCESS_KEY)) {
            assertThat(everything).doesNotContain(secret);
        }
        assertThat(everything).as("user message text at INFO").doesNotContain("INFO" + "hello");
    }
}
