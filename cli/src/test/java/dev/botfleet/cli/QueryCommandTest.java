package dev.botfleet.cli;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code botfleet query} against the real runtime (the bot-runtime jar started as a process), whose provider is a
 * small OpenAI-compatible server here that streams "Hello, world" in chunks.
 */
class QueryCommandTest {

    private static final String ACCESS_KEY = "cli-test-access-key";
    private static HttpServer upstream;
    private static Process runtime;
    private static String baseUrl;

    @BeforeAll
    static void startRuntime() throws Exception {
        upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        upstream.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                for (String[] delta : new String[][] {{"Hello", "null"}, {", world", "null"}, {"", "\"stop\""}}) {
                    out.write(("data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
                            + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + delta[0] + "\"},\"finish_reason\":"
                            + delta[1] + "}]}\n\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
                out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
            }
        });
        upstream.start();

        Path jar = Path.of(System.getProperty("botfleet.runtime.jar", "../bot-runtime/target/bot-runtime.jar"));
        assertThat(jar).as("the runtime jar (build bot-runtime first)").exists();
        Path manifests = Files.createTempFile("cli-query", ".yaml");
        Files.writeString(manifests, """
                apiVersion: v1
                kind: Secret
                metadata: {name: poe}
                stringData: {access-key: %s}
                ---
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMProvider
                metadata: {name: local}
                spec: {baseUrl: 'http://127.0.0.1:%d/v1', defaultModel: m}
                ---
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {name: greeter}
                spec:
                  providerRef: {name: local}
                  accessKeySecretRef: {name: poe, key: access-key}
                  poe: {introductionMessage: Hi there}
                ---
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {name: orphan}
                spec: {providerRef: {name: nope}}
                ---
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {name: terse}
                spec: {providerRef: {name: local}, model: gpt-4o-mini, maxInputTokens: 16,
                       systemPrompt: "Answer every question with a long and careful explanation of each step."}
                """.formatted(ACCESS_KEY, upstream.getAddress().getPort()));
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        baseUrl = "http://127.0.0.1:" + port;
        runtime = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), "--manifests=" + manifests, "--server.port=" + port)
                .redirectErrorStream(true).redirectOutput(Files.createTempFile("runtime", ".log").toFile()).start();
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> http.send(
                HttpRequest.newBuilder(URI.create(baseUrl + "/actuator/health/readiness")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
    }

    @AfterAll
    static void stopRuntime() throws Exception {
        runtime.destroy();
        runtime.waitFor();
        upstream.stop(0);
    }

    @Test
    void streamsTheAnswer() {
        Cli result = Cli.run("query", baseUrl + "/bots/greeter", "--key", ACCESS_KEY, "Hi!");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out().strip()).isEqualTo("Hello, world");
    }

    @Test
    void fetchesSettings() {
        Cli result = Cli.run("query", baseUrl + "/bots/greeter", "--key", ACCESS_KEY, "--settings");
        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("\"response_version\" : 2").contains("\"introduction_message\" : \"Hi there\"");
    }

    @Test
    void aWrongKeyIsReportedWithTheServersReason() {
        Cli result = Cli.run("query", baseUrl + "/bots/greeter", "--key", "wrong", "Hi!");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("HTTP 401").contains("Invalid access key");
    }

    @Test
    void errorEventsShowTheirAllowRetryAndFailTheCommand() {
        Cli result = Cli.run("query", baseUrl + "/bots/orphan", "Hi!");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("error (allow_retry=false): This bot can’t answer right now");
    }

    @Test
    void anErrorsPoeErrorTypeIsShown() {
        Cli result = Cli.run("query", baseUrl + "/bots/terse", "Hi!");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("error (allow_retry=false, error_type=user_message_too_long): Your message");
    }

    @Test
    void anUnknownBotIsA404() {
        Cli unknown = Cli.run("query", baseUrl + "/bots/nobody", "Hi!");
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.err()).contains("HTTP 404");
    }

    @Test
    void aMessageIsRequiredUnlessAskingForSettings() {
        Cli result = Cli.run("query", baseUrl + "/bots/greeter");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("MESSAGE is required");
    }
}
