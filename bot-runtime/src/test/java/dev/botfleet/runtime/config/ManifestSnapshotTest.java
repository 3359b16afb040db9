package dev.botfleet.runtime.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

class ManifestSnapshotTest {

    @TempDir
    Path dir;

    /** A mounted ConfigMap of two files, swapped as the kubelet does (every millisecond) while it is read. */
    @Test
    void aMountedConfigMapIsReadAsOneVersionWhileItIsSwapped() throws Exception {
        Path mount = Files.createDirectory(dir.resolve("config"));
        for (String version : new String[] {"..v1", "..v2"}) {
            Files.createDirectory(mount.resolve(version));
            Files.writeString(mount.resolve(version).resolve("bots.yaml"), "# " + version + "\n");
            Files.writeString(mount.resolve(version).resolve("providers.yaml"), "# " + version + "\n");
        }
        Files.createSymbolicLink(mount.resolve("..data"), Path.of("..v1"));
        Files.createSymbolicLink(mount.resolve("bots.yaml"), Path.of("..data/bots.yaml"));
        Files.createSymbolicLink(mount.resolve("providers.yaml"), Path.of("..data/providers.yaml"));
        AtomicBoolean swapping = new AtomicBoolean(true);
        Thread kubelet = new Thread(() -> {
            int swaps = 0;
            while (swapping.get()) {
                try {
                    Path next = mount.resolve("..data_tmp");
                    Files.deleteIfExists(next);
                    Files.createSymbolicLink(next, Path.of(swaps++ % 2 == 0 ? "..v2" : "..v1"));
                    Files.move(next, mount.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);
                    // 200 swaps a second, far above a kubelet's; at one a millisecond a loaded machine (PIT's runs)
                    // could lose all of a read's retries to swaps.
                    Thread.sleep(5);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        });
        kubelet.start();
        try {
            for (int i = 0; i < 2000; i++) {
                ManifestSnapshot snapshot = ManifestSnapshot.read(mount);
                assertThat(snapshot.atomic()).isTrue();
                assertThat(snapshot.files().keySet()).containsExactly(mount.resolve("bots.yaml"),
                        mount.resolve("providers.yaml"));
                assertThat(snapshot.files().values()).as("one version in read %d", i)
                        .isNotEmpty().hasSize(2).satisfiesAnyOf(
                                files -> assertThat(files).allMatch(content -> content.contains("..v1")),
                                files -> assertThat(files).allMatch(content -> content.contains("..v2")));
            }
        } finally {
            swapping.set(false);
            kubelet.join();
        }
    }

    @Test
    void aPlainFileIsReadAsItIs() throws Exception {
        Path file = Files.writeString(dir.resolve("fleet.yaml"), "kind: LLMBot\n");
        ManifestSnapshot snapshot = ManifestSnapshot.read(file);
        assertThat(snapshot.atomic()).isFalse();
        assertThat(snapshot.files()).containsEntry(file, "kind: LLMBot\n");
        assertThat(snapshot.sameAs(ManifestSnapshot.read(file))).isTrue();
        Files.writeString(file, "kind: LLMProvider\n");
        assertThat(snapshot.sameAs(ManifestSnapshot.read(file))).isFalse();
    }

    @Test
    void theFingerprintTellsWhereOneFileEndsAndTheNextBegins() throws Exception {
        Path one = Files.createDirectory(dir.resolve("one"));
        Files.writeString(one.resolve("a.yaml"), "ab");
        Files.writeString(one.resolve("b.yaml"), "c");
        Path other = Files.createDirectory(dir.resolve("other"));
        Files.writeString(other.resolve("a.yaml"), "a");
        Files.writeString(other.resolve("b.yaml"), "bc");
        assertThat(ManifestSnapshot.read(one).sameAs(ManifestSnapshot.read(other))).isFalse();
    }

    @Test
    void onlyVisibleYamlAndJsonFilesOfADirectoryCount() throws Exception {
        Path plain = Files.createDirectory(dir.resolve("plain"));
        Files.writeString(plain.resolve("bots.yaml"), "x");
        Files.writeString(plain.resolve("extra.json"), "{}");
        Files.writeString(plain.resolve("notes.txt"), "ignored");
        Files.writeString(plain.resolve(".hidden.yaml"), "ignored");
        Files.createDirectory(plain.resolve("nested.yaml"));
        ManifestSnapshot snapshot = ManifestSnapshot.read(plain);
        assertThat(snapshot.atomic()).isFalse();
        assertThat(snapshot.files().keySet()).containsExactly(plain.resolve("bots.yaml"), plain.resolve("extra.json"));
    }

    @Test
    void aMissingPathIsRefusedNamingIt() {
        Path missing = dir.resolve("nowhere.yaml");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ManifestSnapshot.read(missing))
                .isInstanceOf(ManifestException.class).hasMessageContaining(missing + ": no such file");
    }
}
