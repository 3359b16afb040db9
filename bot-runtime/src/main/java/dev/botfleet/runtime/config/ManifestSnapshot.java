package dev.botfleet.runtime.config;

import dev.botfleet.api.ManifestFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The manifest files at a path, read once, as one version. A directory that Kubernetes mounts from a ConfigMap
 * ({@code ..data} pointing at a timestamped directory) is read from the directory {@code ..data} points at, and
 * read again if {@code ..data} moved meanwhile, so that a load never mixes two versions of the ConfigMap.
 *
 * @param files       each file's content by the path a person knows it by, in a stable order
 * @param fingerprint a digest of names and contents
 * @param atomic      whether the files came from one {@code ..data} version, which Kubernetes writes whole
 */
public record ManifestSnapshot(Map<Path, String> files, byte[] fingerprint, boolean atomic) {

    private static final String DATA_LINK = "..data";
    private static final int ATTEMPTS = 5;

    public static ManifestSnapshot read(Path path) {
        if (!Files.exists(path)) {
            throw new ManifestException(path + ": no such file or directory");
        }
        Path data = path.resolve(DATA_LINK);
        if (!Files.isDirectory(path) || !Files.isSymbolicLink(data)) {
            return of(path, files(path), false);
        }
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Path version = target(data);
            Path versionDir = path.resolve(version);
            Map<Path, String> files = new LinkedHashMap<>();
            try {
                ManifestFiles.list(versionDir).forEach(file ->
                        files.put(path.resolve(versionDir.relativize(file)), content(file)));
            } catch (UncheckedIOException | ManifestException e) {
                continue;
            }
            if (version.equals(target(data))) {
                return of(path, files, true);
            }
        }
        throw new ManifestException(path + ": the mounted configuration changed during " + ATTEMPTS + " reads");
    }

    /** The files that make up the configuration at {@code path} ({@link ManifestFiles}), read in their order. */
    private static Map<Path, String> files(Path path) {
        Map<Path, String> files = new LinkedHashMap<>();
        try {
            ManifestFiles.list(path).forEach(file -> files.put(file, content(file)));
        } catch (UncheckedIOException e) {
            throw new ManifestException(e.getMessage());
        }
        return files;
    }

    private static Path target(Path link) {
        try {
            return Files.readSymbolicLink(link);
        } catch (IOException e) {
            throw new ManifestException(link + ": cannot read: " + e.getMessage());
        }
    }

    private static String content(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ManifestException(file + ": cannot read: " + e.getMessage());
        }
    }

    private static ManifestSnapshot of(Path path, Map<Path, String> files, boolean atomic) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            files.forEach((file, content) -> {
                digest.update(path.relativize(file).toString().getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
                digest.update(content.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
            });
            return new ManifestSnapshot(files, digest.digest(), atomic);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether {@code other} holds the same files with the same contents. */
    public boolean sameAs(ManifestSnapshot other) {
        return other != null && Arrays.equals(fingerprint, other.fingerprint);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ManifestSnapshot other && sameAs(other) && atomic == other.atomic;
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(fingerprint), atomic);
    }

    @Override
    public String toString() {
        return "ManifestSnapshot" + files.keySet();
    }
}
