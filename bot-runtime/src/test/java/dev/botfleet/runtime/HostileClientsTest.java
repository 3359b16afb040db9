package dev.botfleet.runtime;

import dev.botfleet.testing.FakeOpenAiServer.Reply;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Clients that misbehave on the socket: hanging up early, stalling, holding connections. The limits are set
 * tight here (1 s deadlines, a 3 MB body budget, 50 connections) so that each shows within a test.
 */
@ExtendWith(OutputCaptureExtension.class)
class HostileClientsTest extends RuntimeTestBase {

    private static final int MAX_CONNECTIONS = 50;

    @DynamicPropertySource
    static void tightLimits(DynamicPropertyRegistry registry) {
        registry.add("botfleet.header-timeout", () -> "1s");
        registry.add("botfleet.body-timeout", () -> "1s");
        registry.add("botfleet.max-inflight-body-bytes", () -> "3MB");
        registry.add("botfleet.max-connections", () -> MAX_CONNECTIONS);
    }

    @BeforeEach
    void resetUpstream() {
        UPSTREAM.reset();
    }

    /** A raw HTTP/1.1 request on a new socket, left open for the caller. */
    private Socket send(String bot, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        Socket socket = sendHeaders(bot, bytes.length);
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
        return socket;
    }

    private Socket sendHeaders(String bot, int contentLength) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        OutputStream out = socket.getOutputStream();
        out.write(("POST /bots/" + bot + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + contentLength + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

    private static final String REFUSED_WHILE_SENDING = "refused while sending";

    /**
     * Everything the server sends until it closes the connection (a reset included: it closes without reading
     * what the client sent), waiting at most {@code limit}.
     */
    private static String readUntilClosed(Socket socket, Duration limit) throws IOException {
        socket.setSoTimeout((int) limit.toMillis());
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int read; (read = socket.getInputStream().read(buffer)) != -1; ) {
                received.write(buffer, 0, read);
            }
        } catch (SocketTimeoutException stillOpen) {
            throw new AssertionError("the server kept the connection open for " + limit);
        } catch (SocketException reset) {
            // closed by the server with unread bytes in its buffer
        }
        return received.toString(StandardCharsets.ISO_8859_1);
    }

    /** Whether the server has closed the connection, looking for {@code wait}. */
    private static boolean closedWithin(Socket socket, Duration wait) throws IOException {
        socket.setSoTimeout((int) wait.toMillis());
        try {
            return socket.getInputStream().read() == -1;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    private static int closed(List<Socket> sockets) throws IOException {
        int closed = 0;
        for (Socket socket : sockets) {
            closed += closedWithin(socket, Duration.ofMillis(1)) ? 1 : 0;
        }
        return closed;
    }

    private double openConnections() {
        return registry.get("botfleet.connections").gauge().value();
    }

    private double bodyBytesInFlight() {
        return registry.get("botfleet.request.body.bytes").gauge().value();
    }

    @Test
    void stalledBodiesCannotHoldMoreThanTheBudgetAndAreCutAtTheBodyTimeout() throws Exception {
        List<Socket> stalled = new ArrayList<>();
        List<String> answers = new ArrayList<>();
        byte[] most = new byte[900_000];
        Arrays.fill(most, (byte) ' ');
        for (int i = 0; i < 10; i++) {
            Socket socket = sendHeaders("open", 1_000_000);
            try {
                socket.getOutputStream().write(most);
                socket.getOutputStream().flush();
                stalled.add(socket);
            } catch (SocketException refused) {
                // The server refused the body over the budget and closed before all of it was sent (a busy machine
                // reads the headers first), which resets the connection and with it the 503 it sent.
                answers.add(REFUSED_WHILE_SENDING);
                socket.close();
            }
        }
        await().atMost(Duration.ofSeconds(1)).until(() -> bodyBytesInFlight() > 0);
        assertThat(bodyBytesInFlight()).isLessThanOrEqualTo(3_000_000);

        assertThat(SseEvents.names(poe.ask("open", "still answering?"))).endsWith("text", "done");

        for (Socket socket : stalled) {
            answers.add(readUntilClosed(socket, Duration.ofSeconds(3)));
            socket.close();
        }
        assertThat(answers).anySatisfy(answer -> assertThat(answer.toLowerCase()).satisfiesAnyOf(
                refusal -> assertThat(refusal).startsWith("http/1.1 503")
                        .contains("retry-after: 1", "connection: close", "too many request bodies"),
                refusal -> assertThat(refusal).isEqualTo(REFUSED_WHILE_SENDING)));
        await().atMost(Duration.ofSeconds(2)).until(() -> bodyBytesInFlight() == 0);
    }

    @Test
    void slowOrSilentConnectionsAreClosedAtTheHeaderTimeout() throws Exception {
        try (Socket silent = new Socket("127.0.0.1", port); Socket trickling = new Socket("127.0.0.1", port)) {
            long start = System.nanoTime();
            OutputStream out = trickling.getOutputStream();
            byte[] request = "POST /bots/open HTTP/1.1\r\nHost: localhost\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII);
            boolean closed = false;
            for (int i = 0; i < request.length && !closed; i++) {
                try {
                    out.write(request[i]);
                    out.flush();
                } catch (IOException reset) {
                    closed = true;
                }
                closed = closed || closedWithin(trickling, Duration.ofMillis(200));
            }
            assertThat(closed).as("a trickling client is cut off").isTrue();
            assertThat(closedWithin(silent, Duration.ofMillis(1500))).as("a silent client is cut off").isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2500));
        }
    }

    @Test
    void connectionsBeyondTheLimitAreClosedOnArrival() throws Exception {
        // Connections kept alive by earlier tests close at the header timeout; then the count starts from none.
        await().atMost(Duration.ofSeconds(3)).until(() -> openConnections() == 0);
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < MAX_CONNECTIONS + 10; i++) {
                sockets.add(new Socket("127.0.0.1", port));
            }
            // Well before the header timeout (1 s) closes the others: exactly those past the limit are closed.
            await().atMost(Duration.ofMillis(500)).until(() -> closed(sockets) >= 10);
            assertThat(closed(sockets)).isEqualTo(10);
            assertThat(openConnections()).isEqualTo(MAX_CONNECTIONS);
        } finally {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
        await().atMost(Duration.ofSeconds(2)).untilAsserted(() ->
                assertThat(SseEvents.names(poe.ask("open", "back to normal"))).endsWith("done"));
    }

    @Test
    void aCallerThatHangsUpMidBodyIsNotAnError(CapturedOutput output) throws Exception {
        int before = output.length();
        Socket socket = sendHeaders("open", 1000);
        socket.getOutputStream().write("{\"version\": \"1.2\", ".getBytes(StandardCharsets.UTF_8));
        socket.getOutputStream().flush();
        Thread.sleep(100);
        socket.setSoLinger(true, 0);
        socket.close();

        await().pollDelay(Duration.ofMillis(300)).atMost(Duration.ofSeconds(1))
                .until(() -> bodyBytesInFlight() == 0);
        assertThat(output.toString().substring(before)).doesNotContain("ERROR", "Exception");
    }

    @Test
    void aHangUpBeforeTheAnswerStartsCancelsTheUpstreamRequest() throws Exception {
        String[] chunks = new String[40];
        Arrays.fill(chunks, "word ");
        UPSTREAM.enqueue(Reply.stream(Duration.ofMillis(50), chunks));
        double successes = answered("open", AnswerOutcome.SUCCESS);

        Socket socket = send("open", PoeClient.query("hi").toString());
        socket.setSoLinger(true, 0);
        socket.close();

        // Whether the provider was asked at all depends on when the reset arrives; it must not answer to the end.
        await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(1)).untilAsserted(() -> {
            assertThat(UPSTREAM.openStreams()).as("upstream streams still open").isZero();
            assertThat(UPSTREAM.abortedStreams()).as("upstream answers cut off")
                    .isEqualTo(UPSTREAM.requests().size());
        });
        assertThat(answered("open", AnswerOutcome.SUCCESS)).as("recorded as a success").isEqualTo(successes);
    }
}
