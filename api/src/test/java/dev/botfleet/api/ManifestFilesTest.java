package dev.botfleet.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ManifestFilesTest {

    @TempDir
    Path dir;

    @Test
    void aDirectoryIsEveryVisibleManifestBelowItInPathOrder() throws Exception {
        Files.createDirectories(dir.resolve("team-a/bots"));
        Files.createDirectories(dir.resolve("..2026_11_29"));
        Files.createDirectories(dir.resolve(".git"));
        Files.writeString(dir.resolve("providers.yaml"), "");
        Files.writeString(dir.resolve("team-a/bots/helper.yml"), "");
        Files.writeString(dir.resolve("team-a/extra.json"), "");
        Files.writeString(dir.resolve("team-a/README.md"), "");
        Files.writeString(dir.resolve("..2026_11_29/bots.yaml"), "");
        Files.writeString(dir.resolve(".git/config.yaml"), "");
        Files.writeString(dir.resolve(".hidden.yaml"), "");

        assertThat(ManifestFiles.list(dir)).containsExactly(dir.resolve("providers.yaml"),
                dir.resolve("team-a/bots/helper.yml"), dir.resolve("team-a/extra.json"));
    }

    @Test
    void aFileIsItself() throws Exception {
        Path file = Files.writeString(dir.resolve("anything.txt"), "");
        assertThat(ManifestFiles.list(file)).containsExactly(file);
    }
}
