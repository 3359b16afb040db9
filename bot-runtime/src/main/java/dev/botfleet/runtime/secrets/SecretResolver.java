package dev.botfleet.runtime.secrets;

import dev.botfleet.api.LLMBot;
import dev.botfleet.api.LLMProvider;
import dev.botfleet.api.SecretKeyRef;
import dev.botfleet.runtime.config.Fleet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * Finds the value of a Secret key, looking in order at: the file {@code <secrets-dir>/<name>/<key>} (the layout of
 * a mounted Secret), a Secret document among the manifests, and the environment variable {@code NAME_KEY}.
 * Files are kept in memory, so that no request waits for the disk, and read again by {@link #refresh}, which the
 * manifest watcher calls every reload interval: a rotated key is used from then on. Empty values count as absent.
 */
public final class SecretResolver {

    private final Path secretsDir;
    private final UnaryOperator<String> environment;
    private final SecretRedactor redactor;
    /** The mounted files asked for or referenced so far: their value, or empty while there is none. */
    private final Map<Path, Optional<String>> files = new ConcurrentHashMap<>();

    /**
     * @param secretsDir  directory of mounted Secrets, or null when there is none
     * @param environment reads an environment variable, returning null when it is not set
     * @param redactor    told every value resolved, so that it never leaves the process
     */
    public SecretResolver(Path secretsDir, UnaryOperator<String> environment, SecretRedactor redactor) {
        this.secretsDir = secretsDir;
        this.environment = environment;
        this.redactor = redactor;
    }

    public Optional<String> resolve(SecretKeyRef ref, Fleet fleet) {
        return fromFile(ref)
                .or(() -> fleet.secretValue(ref.getName(), ref.getKey()).map(String::strip))
                .or(() -> Optional.ofNullable(environment.apply(ref.environmentVariable())).map(String::strip))
                .filter(value -> !value.isEmpty())
                .map(redactor::remember);
    }

    /**
     * Reads again every file kept, and the files of every Secret key {@code fleet} refers to, so that the first
     * request that needs one finds it in memory. Runs on the watcher's thread, never a request's.
     */
    public void refresh(Fleet fleet) {
        if (secretsDir == null) {
            return;
        }
        files.replaceAll((path, old) -> read(path));
        for (LLMBot bot : fleet.bots()) {
            keep(bot.getSpec().getAccessKeySecretRef());
        }
        for (LLMProvider provider : fleet.providers()) {
            keep(provider.getSpec().getApiKeySecretRef());
        }
    }

    private void keep(SecretKeyRef ref) {
        if (ref != null) {
            files.computeIfAbsent(file(ref), SecretResolver::read).ifPresent(redactor::remember);
        }
    }

    /** Tells a person where the value of {@code ref} may be put; never includes a value. */
    public String whereToPut(SecretKeyRef ref) {
        StringBuilder places = new StringBuilder("set the environment variable " + ref.environmentVariable());
        if (secretsDir != null) {
            places.append(", create the file ").append(file(ref));
        }
        places.append(" or add key '").append(ref.getKey()).append("' to a Secret named '").append(ref.getName())
                .append("' in the manifests");
        return places.toString();
    }

    private Optional<String> fromFile(SecretKeyRef ref) {
        return secretsDir == null ? Optional.empty() : files.computeIfAbsent(file(ref), SecretResolver::read);
    }

    private static Optional<String> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readString(file, StandardCharsets.UTF_8).strip());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private Path file(SecretKeyRef ref) {
        return secretsDir.resolve(ref.getName()).resolve(ref.getKey());
    }
}
