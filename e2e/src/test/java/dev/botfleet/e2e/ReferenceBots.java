package dev.botfleet.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;

import static org.awaitility.Awaitility.await;

/** fastapi_poe's reference bots (e2e/poe/reference_bots.py) served by uvicorn on a free loopback port. */
final class ReferenceBots implements AutoCloseable {

    /** The access key of the reference bot {@code keyed}. */
    static final String KEYED_ACCESS_KEY = "reference-access-key-01234567890";

    private final Process process;
    private final int port;

    private ReferenceBots(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts them and waits until they take connections; their output goes to {@code <work>/<log>}. */
    static ReferenceBots start(String log) throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Process process = new ProcessBuilder(PythonEnvironment.python().toString(),
                ControlPlane.REPO.resolve("e2e/poe/reference_bots.py").toString(), Integer.toString(port))
                .redirectErrorStream(true)
                .redirectOutput(ControlPlane.WORK.resolve(log).toFile()).start();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return true;
            } catch (IOException notYet) {
                return false;
            }
        });
        return new ReferenceBots(process, port);
    }

    /** Where the bots answer: {@code <base><bot name>}. */
    String baseUrl() {
        return "http://127.0.0.1:" + port + "/bots/";
    }

    @Override
    public void close() {
        process.destroy();
    }
}
