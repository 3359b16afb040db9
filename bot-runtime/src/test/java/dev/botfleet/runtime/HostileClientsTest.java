package dev.botfleet.runtime;

import dev.botfleet.testing.FakeOpenAiServer.Reply;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Clients that misbehave on the socket: hanging up early, stalling, holding connections. */
class HostileClientsTest extends RuntimeTestBase {

    @Autowired
    private MeterRegistry registry;

    @BeforeEach
    void resetUpstream() {
        UPSTREAM.reset();
    }

    /** A raw HTTP/1.1 request on a new socket, left open for the caller. */
    private Socket send(String bot, String body) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        OutputStream out = socket.getOutputStream();
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        out.write(("POST /bots/" + bot + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.flush();
        return socket;
    }

    private double answered(String outcome) {
        Counter counter = registry.find("botfleet.queries").tags("bot", "open", "outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void aHangUpBeforeTheAnswerStartsCancelsTheUpstreamRequest() throws Exception {
        String[] chunks = new String[40];
        java.util.Arrays.fill(chunks, "word ");
        UPSTREAM.enqueue(Reply.stream(Duration.ofMillis(50), chunks));
        double successes = answered("success");

        Socket socket = send("open", PoeClient.query("hi").toString());
        socket.setSoLinger(true, 0);
        socket.close();

        // Whether the provider was asked at all depends on when the reset arrives; it must not answer to the end.
        await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(1)).untilAsserted(() -> {
            assertThat(UPSTREAM.openStreams()).as("upstream streams still open").isZero();
            assertThat(UPSTREAM.abortedStreams()).as("upstream answers cut off")
                    .isEqualTo(UPSTREAM.requests().size());
        });
        assertThat(answered("success")).as("recorded as a success").isEqualTo(successes);
    }
}
