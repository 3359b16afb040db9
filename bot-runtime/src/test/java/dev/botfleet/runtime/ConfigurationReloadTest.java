package dev.botfleet.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.botfleet.testing.FakeOpenAiServer;
import dev.botfleet.testing.FakeOpenAiServer.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The runtime reading a directory laid out like a mounted ConfigMap ({@code bots.yaml -> ..data/bots.yaml},
 * {@code ..data -> ..<timestamp>}), updated the way the kubelet does it: a new timestamped directory and an
 * atomic rename of the {@code ..data} symlink.
 */
@AutoConfigureObservability
@SpringBootTest(classes = BotRuntimeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ConfigurationReloadTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final FakeOpenAiServer UPSTREAM = RuntimeTestBase.UPSTREAM;
    private static final Path MOUNT = mountDirectory();
    private static final AtomicInteger VERSION = new AtomicInteger();

    @LocalServerPort
    private int port;
    private PoeClient poe;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        publish(bots("alpha"));
        registry.add("botfleet.manifests", MOUNT::toString);
        registry.add("botfleet.reload-interval", () -> "50ms");
    }

    @BeforeEach
    void connect() {
        poe = new PoeClient(port);
        UPSTREAM.reset();
    }

    @AfterEach
    void restore() throws IOException {
        publish(bots("alpha"));
        await().atMost(Duration.ofSeconds(5)).until(() -> served().equals(List.of("alpha")));
    }

    @Test
    void aValidChangeIsServedWithoutARestart() throws IOException {
        publish(bots("alpha", "beta"));
        await().atMost(Duration.ofSeconds(5)).until(() -> served().equals(List.of("alpha", "beta")));

        assertThat(SseEvents.answer(poe.ask("beta", "hello beta"))).isEqualTo("hello beta");
        assertThat(SseEvents.answer(poe.ask("alpha", "still here"))).isEqualTo("still here");
    }

    @Test
    void invalidYamlKeepsTheOldConfigurationServingAndSaysWhy() throws Exception {
        publish("apiVersion: botfleet.dev/v1alpha1\nkind: LLMBot\nmetadata: {name: broken\n");
        await().atMost(Duration.ofSeconds(5)).until(() -> lastReloadError().contains("bots.yaml"));

        assertThat(lastReloadError()).contains("invalid YAML");
        assertThat(readiness().path("status").asText()).isEqualTo("UP");
        assertThat(poe.get("/actuator/prometheus").body()).contains("botfleet_config_valid{application=\"bot-runtime\"} 0.0");
        assertThat(SseEvents.answer(poe.ask("alpha", "unaffected"))).isEqualTo("unaffected");

        publish(bots("alpha", "gamma"));
        await().atMost(Duration.ofSeconds(5)).until(() -> served().equals(List.of("alpha", "gamma")));
        assertThat(readiness().at("/components/manifests/details").has("lastReloadError")).isFalse();
    }

    @Test
    void aManifestTheApiServerWouldRefuseIsRefusedNamingTheField() throws Exception {
        publish(bots("alpha").replace("providerRef: {name: fake}", "providerRef: {name: fake}\n  temperature: 3"));
        await().atMost(Duration.ofSeconds(5)).until(() -> lastReloadError().contains("spec.temperature"));
        assertThat(lastReloadError()).contains("LLMBot/alpha: spec.temperature");
        assertThat(SseEvents.answer(poe.ask("alpha", "old config"))).isEqualTo("old config");
    }

    @Test
    void anAnswerInFlightFinishesOnTheConfigurationItStartedWith() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        UPSTREAM.enqueue(Reply.stallAfter(release, "started "));
        CompletableFuture<List<SseEvents.Event>> answer = CompletableFuture.supplyAsync(() -> poe.ask("alpha", "x"));
        await().atMost(Duration.ofSeconds(5)).until(() -> UPSTREAM.openStreams() == 1);

        publish(bots("delta"));
        await().atMost(Duration.ofSeconds(5)).until(() -> served().equals(List.of("delta")));
        release.countDown();

        List<SseEvents.Event> events = answer.get();
        assertThat(SseEvents.answer(events)).startsWith("started ...");
        assertThat(poe.post("/bots/alpha", PoeClient.query("x")).statusCode()).isEqualTo(404);
    }

    private List<String> served() throws IOException {
        JsonNode bots = JSON.readTree(poe.get("/bots").body());
        return bots.findValuesAsText("name");
    }

    private JsonNode readiness() throws IOException {
        return JSON.readTree(poe.get("/actuator/health/readiness").body());
    }

    private String lastReloadError() throws IOException {
        return readiness().at("/components/manifests/details/lastReloadError").asText("");
    }

    private static String bots(String... names) {
        StringBuilder yaml = new StringBuilder("""
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMProvider
                metadata: {name: fake}
                spec:
                  baseUrl: %s
                  defaultModel: m
                  timeout: 10s
                """.formatted(UPSTREAM.baseUrl()));
        for (String name : names) {
            yaml.append("""
                    ---
                    apiVersion: botfleet.dev/v1alpha1
                    kind: LLMBot
                    metadata: {name: %s}
                    spec:
                      providerRef: {name: fake}
                    """.formatted(name));
        }
        return yaml.toString();
    }

    /** Publishes new content the way the kubelet updates a ConfigMap volume. */
    private static synchronized void publish(String content) throws IOException {
        Path version = MOUNT.resolve("..2026_11_24_" + VERSION.incrementAndGet());
        Files.createDirectories(version);
        Files.writeString(version.resolve("bots.yaml"), content);
        Path newData = MOUNT.resolve("..data_tmp");
        Files.deleteIfExists(newData);
        Files.createSymbolicLink(newData, version.getFileName());
        Path data = MOUNT.resolve("..data");
        Path previous = Files.isSymbolicLink(data) ? MOUNT.resolve(Files.readSymbolicLink(data)) : null;
        Files.move(newData, data, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Path visible = MOUNT.resolve("bots.yaml");
        if (!Files.isSymbolicLink(visible)) {
            Files.createSymbolicLink(visible, Path.of("..data", "bots.yaml"));
        }
        if (previous != null) {
            Files.deleteIfExists(previous.resolve("bots.yaml"));
            Files.deleteIfExists(previous);
        }
    }

    private static Path mountDirectory() {
        try {
            return Files.createTempDirectory("botfleet-configmap");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
