package dev.botfleet.runtime.config;

import dev.botfleet.api.validation.ManifestValidator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@ExtendWith(OutputCaptureExtension.class)
class ManifestWatcherTest {

    private static final String FLEET = """
            apiVersion: botfleet.dev/v1alpha1
            kind: LLMProvider
            metadata: {name: p}
            spec: {baseUrl: 'http://127.0.0.1:1/v1', defaultModel: m}
            ---
            apiVersion: botfleet.dev/v1alpha1
            kind: LLMBot
            metadata: {name: guarded}
            spec:
              providerRef: {name: p}
              accessKeySecretRef: {name: poe, key: access-key}
            ---
            apiVersion: botfleet.dev/v1alpha1
            kind: LLMBot
            metadata: {name: unguarded}
            spec: {providerRef: {name: p}}
            """;

    @TempDir
    Path dir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final LiveFleet live = new LiveFleet();

    private ManifestWatcher watcher(Path file) {
        return new ManifestWatcher(file, () -> new ManifestLoader(ManifestValidator.forBotfleetCrds()::validate, Optional.empty()), live,
                registry);
    }

    @Test
    void aConfigMapStyleSwapIsServedLongBeforeTheNextPoll() throws Exception {
        Path mount = Files.createDirectories(dir.resolve("config"));
        Files.createDirectory(mount.resolve("..first"));
        Files.writeString(mount.resolve("..first/bots.yaml"), FLEET);
        Files.createSymbolicLink(mount.resolve("..data"), Path.of("..first"));
        Files.createSymbolicLink(mount.resolve("bots.yaml"), Path.of("..data/bots.yaml"));
        try (ManifestWatcher watcher = watcher(mount)) {
            watcher.start(Duration.ofHours(1));
            watcher.awaitFirstLoad();
            assertThat(live.current().bot("unguarded")).isPresent();

            Files.createDirectory(mount.resolve("..second"));
            Files.writeString(mount.resolve("..second/bots.yaml"), FLEET.replace("unguarded", "renamed"));
            Files.createSymbolicLink(mount.resolve("..data_tmp"), Path.of("..second"));
            long swapped = System.nanoTime();
            Files.move(mount.resolve("..data_tmp"), mount.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);

            await().atMost(Duration.ofSeconds(5)).until(() -> live.current().bot("renamed").isPresent());
            assertThat(Duration.ofNanos(System.nanoTime() - swapped)).isLessThan(Duration.ofSeconds(2));
        }
    }

    @Test
    void aFileTruncatedInPlaceIsRefusedAndTheLastConfigurationStays() throws IOException {
        Path file = dir.resolve("fleet.yaml");
        Files.writeString(file, FLEET);
        try (ManifestWatcher watcher = watcher(file)) {
            watcher.poll();
            Files.writeString(file, "");
            watcher.poll();

            assertThat(live.current().bot("guarded")).isPresent();
            assertThat(live.lastError()).hasValueSatisfying(error -> assertThat(error)
                    .contains("no LLMBot or LLMProvider document"));
            assertThat(registry.get("botfleet.config.valid").gauge().value()).isZero();
        }
    }

    @Test
    void aFileCaughtWhileBeingWrittenIsNotServedUntilItSettles() throws Exception {
        Path file = dir.resolve("fleet.yaml");
        String keyed = FLEET + """
                ---
                apiVersion: v1
                kind: Secret
                metadata: {name: poe}
                stringData: {access-key: the-whole-access-key}
                """;
        Files.writeString(file, FLEET);
        try (ManifestWatcher watcher = watcher(file)) {
            watcher.poll();
            Files.writeString(file, keyed.substring(0, keyed.indexOf("the-whole") + "the-wh".length()));
            Thread writer = new Thread(() -> {
                try {
                    Thread.sleep(30);
                    Files.writeString(file, keyed);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            writer.start();
            watcher.poll();
            writer.join();

            assertThat(live.current().secretValue("poe", "access-key")).as("a cut access key is never served")
                    .isEmpty();
            watcher.poll();
            assertThat(live.current().secretValue("poe", "access-key")).hasValue("the-whole-access-key");
        }
    }

    @Test
    void loadingWarnsAboutEachBotThatAnswersEveryCaller(CapturedOutput output) throws IOException {
        Path file = dir.resolve("fleet.yaml");
        Files.writeString(file, FLEET);
        try (ManifestWatcher watcher = watcher(file)) {
            watcher.poll();
        }
        assertThat(live.isLoaded()).isTrue();
        assertThat(output.getOut()).contains("bot unguarded has no accessKeySecretRef")
                .doesNotContain("bot guarded has no accessKeySecretRef");
    }

    @Test
    void aRefusedChangeIsCountedOnceAndTheOldFleetStays() throws IOException {
        Path file = dir.resolve("fleet.yaml");
        Files.writeString(file, FLEET);
        try (ManifestWatcher watcher = watcher(file)) {
            watcher.poll();
            Files.writeString(file, FLEET.replace("defaultModel: m", "defaultModel: ''"));
            watcher.poll();
            watcher.poll();

            assertThat(live.current().bot("unguarded")).isPresent();
            assertThat(live.lastError()).hasValueSatisfying(error -> assertThat(error).contains("spec.defaultModel"));
            assertThat(registry.get("botfleet.config.reload.failures").counter().count()).isEqualTo(1);
            assertThat(registry.get("botfleet.config.valid").gauge().value()).isZero();

            Files.writeString(file, FLEET);
            watcher.poll();
            assertThat(live.lastError()).isEmpty();
            assertThat(registry.get("botfleet.config.valid").gauge().value()).isEqualTo(1);
        }
    }

    @Test
    void eachBotsServedGenerationIsReportedWhenTheOperatorWroteIt() throws IOException {
        Path file = dir.resolve("fleet.yaml");
        Files.writeString(file, FLEET.replace("metadata: {name: guarded}", "metadata: {name: guarded, generation: 4}"));
        try (ManifestWatcher watcher = watcher(file)) {
            watcher.poll();
            assertThat(registry.get("botfleet.bot.generation").tag("bot", "guarded").gauge().value()).isEqualTo(4);
            assertThat(registry.find("botfleet.bot.generation").tag("bot", "unguarded").gauge())
                    .as("a bot from a hand-written file has no generation").isNull();

            Files.writeString(file, FLEET.replace("metadata: {name: guarded}",
                    "metadata: {name: guarded, generation: 5}"));
            watcher.poll();
            assertThat(registry.get("botfleet.bot.generation").tag("bot", "guarded").gauge().value()).isEqualTo(5);
        }
    }

    @Test
    void withoutAnyValidFleetNothingIsServedAndReadinessStaysDown() {
        try (ManifestWatcher watcher = watcher(dir.resolve("missing.yaml"))) {
            watcher.poll();
        }
        assertThat(live.isLoaded()).isFalse();
        assertThat(new ManifestsHealthIndicator(live, "missing.yaml").health().getStatus().getCode())
                .isEqualTo("OUT_OF_SERVICE");
    }
}
