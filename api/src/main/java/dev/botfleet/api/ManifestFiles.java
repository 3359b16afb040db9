package dev.botfleet.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a manifest path means, the same to the runtime and the CLI: a file is itself; a directory is every YAML or
 * JSON file below it, at any depth, in path order, leaving out hidden entries (a mounted ConfigMap's
 * {@code ..data} and {@code ..<timestamp>} entries, editors' and tools' dot files) and everything below them.
 */
public final class ManifestFiles {

    private ManifestFiles() {
    }

    public static List<Path> list(Path path) {
        if (!Files.isDirectory(path)) {
            return List.of(path);
        }
        try (Stream<Path> walk = Files.walk(path)) {
            return walk.filter(file -> !hidden(path.relativize(file)))
                    .filter(Files::isRegularFile)
                    .filter(file -> file.getFileName().toString().matches(".*\\.(ya?ml|json)$"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(path + ": cannot list: " + e.getMessage(), e);
        }
    }

    private static boolean hidden(Path relative) {
        for (Path part : relative) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }
}
