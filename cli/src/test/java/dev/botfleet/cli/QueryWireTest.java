package dev.botfleet.cli;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** What {@code botfleet query} puts on the wire and how it reads what comes back, against a scripted server. */
class QueryWireTest {

    private HttpServer server;
    private final List<Map<String, List<String>>> requests = new CopyOnWriteArrayList<>();
    private volatile String answer = "";
    private volatile Duration pause = Duration.ZERO;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            requests.add(Map.copyOf(exchange.getRequestHeaders()));
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                for (String event : answer.split("(?<=\n\n)")) {
                    out.write(event.getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    Thread.sleep(pause.toMillis());
                }
            } catch (InterruptedException | IOException gone) {
                // the client hung up
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/bots/b";
    }

    @Test
    void itSpeaksHttp11AndAlwaysSendsAnAuthorizationHeader() {
        answer = "event: text\ndata: {\"text\": \"hi\"}\n\nevent: done\ndata: {}\n\n";
        Cli.run("query", url(), "hello");
        Cli.run("query", url(), "--key", "k-1", "hello");

        assertThat(requests).hasSize(2);
        assertThat(requests.get(0)).containsEntry("Authorization", List.of("Bearer " + QueryCommand.NO_KEY))
                .doesNotContainKeys("Upgrade", "Http2-settings");
        assertThat(requests.get(1)).containsEntry("Authorization", List.of("Bearer k-1"));
    }

    @Test
    void theTimeoutBoundsTheWholeAnswer() {
        answer = "event: text\ndata: {\"text\": \"a\"}\n\n".repeat(20) + "event: done\ndata: {}\n\n";
        pause = Duration.ofMillis(200);
        long start = System.nanoTime();
        Cli result = Cli.run("query", url(), "--timeout", "1", "hello");

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("no complete answer within 1 s");
    }

    @Test
    void filesAndDataAreShown() {
        answer = """
                event: text
                data: {"text": "Here it is."}

                event: file
                data: {"url": "https://example.com/r.pdf", "content_type": "application/pdf", "name": "report.pdf"}

                event: data
                data: {"metadata": "{\\"run\\": 1}"}

                event: done
                data: {}

                """;
        Cli result = Cli.run("query", url(), "hello");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("Here it is.", "[report.pdf](https://example.com/r.pdf) (application/pdf)");
        assertThat(result.err()).contains("data: {\"run\": 1}");
    }
}
