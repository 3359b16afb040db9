package dev.botfleet.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Redis server on loopback, Debian's own package unpacked by the repository's {@code e2e/redis build}: started
 * with a password and no persistence, stopped and started again on the same port to play an outage.
 */
public final class RedisServer implements AutoCloseable {

    private final Path server;
    private final int port;
    private final String password;
    private Process process;

    private RedisServer(Path server, int port, String password) {
        this.server = server;
        this.port = port;
        this.password = password;
    }

    /** Builds the server if it is not cached yet, then starts it on a free port. */
    public static RedisServer start(String password) throws Exception {
        RedisServer redis = new RedisServer(build(), RuntimeProcess.freePort(), password);
        redis.start();
        return redis;
    }

    private static Path build() throws Exception {
        Path script = repositoryRoot().resolve("e2e/redis");
        Process build = new ProcessBuilder(script.toString(), "build").redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String server = new String(build.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (build.waitFor() != 0) {
            throw new IllegalStateException("e2e/redis build failed; see its output above");
        }
        return Path.of(server);
    }

    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve("e2e/redis"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no e2e/redis above " + Path.of("").toAbsolutePath());
    }

    /** Starts the server (again) and returns once it answers a PING. */
    public synchronized void start() throws Exception {
        Path libraries = server.getParent().getParent().resolve("lib/x86_64-linux-gnu");
        ProcessBuilder builder = new ProcessBuilder(List.of(server.toString(), "--port", String.valueOf(port),
                "--bind", "127.0.0.1", "--requirepass", password, "--save", "", "--appendonly", "no",
                "--dir", Files.createTempDirectory("redis").toString()))
                .redirectErrorStream(true).redirectOutput(Files.createTempFile("redis", ".log").toFile());
        builder.environment().put("LD_LIBRARY_PATH", libraries.toString());
        process = builder.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!answersPing()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("redis-server did not start on port " + port);
            }
            Thread.sleep(20);
        }
    }

    /** Kills the server, as a crashed or partitioned Redis looks to its clients; its data is gone. */
    public synchronized void stop() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly().waitFor();
            process = null;
        }
    }

    private boolean answersPing() {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("AUTH " + password + "\r\nPING\r\n").getBytes(StandardCharsets.UTF_8));
            InputStream in = socket.getInputStream();
            byte[] reply = new byte[64];
            int read = 0;
            while (read < 10) {
                int n = in.read(reply, read, reply.length - read);
                if (n < 0) {
                    return false;
                }
                read += n;
            }
            return new String(reply, 0, read, StandardCharsets.UTF_8).equals("+OK\r\n+PONG\r\n");
        } catch (IOException notYet) {
            return false;
        }
    }

    /** CPU time the server has used so far, user and system, in ms. */
    public synchronized double cpuMillis() {
        return process.info().totalCpuDuration().orElseThrow().toNanos() / 1e6;
    }

    /** The URL a runtime is given, without the password (that comes from a Secret). */
    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    public String password() {
        return password;
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
