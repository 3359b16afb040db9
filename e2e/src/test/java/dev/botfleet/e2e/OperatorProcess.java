package dev.botfleet.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * The packaged operator (operator/target/operator.jar) as a process of its own, with the environment the chart
 * gives its container and a kubeconfig holding the chart's ServiceAccount token, so that the chart's RBAC is what
 * the operator runs with.
 */
final class OperatorProcess implements AutoCloseable {

    static final Path JAR = ControlPlane.REPO.resolve("operator/target/operator.jar");

    private final String name;
    private final Process process;
    private final Path log;
    private final int healthPort;
    private final String credentialId;

    private OperatorProcess(String name, Process process, Path log, int healthPort, String credentialId) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.healthPort = healthPort;
        this.credentialId = credentialId;
    }

    /** JVM options of a test's operator: the heap the chart's default memory limit gives, quick start-up. */
    static final List<String> TEST_JVM = List.of("-Xmx256m", "-XX:TieredStopAtLevel=1");

    /** Starts the operator and returns once its /healthz answers. */
    static OperatorProcess start(String name, ControlPlane.Login login, Map<String, String> containerEnvironment,
                                 List<String> jvmOptions) {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR + " is missing: build it first (./mvnw -B -DskipTests package)");
        }
        try {
            int healthPort = freePort();
            Path log = ControlPlane.WORK.resolve("operator-" + name + ".log");
            Files.createDirectories(log.getParent());
            String java = ProcessHandle.current().info().command().orElse("java");
            List<String> command = new java.util.ArrayList<>(List.of(java));
            command.addAll(jvmOptions);
            command.addAll(List.of("-jar", JAR.toString()));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            Map<String, String> environment = new HashMap<>(containerEnvironment);
            environment.put("KUBECONFIG", login.kubeconfig().toString());
            environment.put("BOTFLEET_HEALTH_PORT", Integer.toString(healthPort));
            environment.remove("JAVA_TOOL_OPTIONS");
            builder.environment().keySet().removeIf(key -> key.startsWith("BOTFLEET_") || key.startsWith("KUBE"));
            builder.environment().putAll(environment);
            OperatorProcess operator = new OperatorProcess(name, builder.start(), log, healthPort,
                    login.credentialId());
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .failFast(() -> !operator.process.isAlive())
                    .until(() -> operator.health("/healthz") == 200);
            return operator;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The HTTP status of the operator's health endpoint, or -1 when it does not answer. */
    int health(String path) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + healthPort
                    + path)).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** The id of this process's token, by which the audit log tells its requests from another replica's. */
    String credentialId() {
        return credentialId;
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGKILL: the process ends without releasing anything, as when its node dies. */
    void kill() {
        process.destroyForcibly();
        waitForExit();
    }

    /** SIGTERM, as Kubernetes stops a pod; a thread dump goes to the log first, for a test that failed. */
    @Override
    public void close() {
        if (process.isAlive()) {
            Command.of(List.of("kill", "-QUIT", Long.toString(process.pid()))).run();
        }
        process.destroy();
        waitForExit();
    }

    private void waitForExit() {
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "operator " + name + " (log " + log + ")";
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

}
