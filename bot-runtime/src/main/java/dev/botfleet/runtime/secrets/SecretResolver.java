package dev.botfleet.runtime.secrets;

import dev.botfleet.api.SecretKeyRef;
import dev.botfleet.runtime.config.Fleet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Finds the value of a Secret key, looking in order at: the file {@code <secrets-dir>/<name>/<key>} (the layout of
 * a mounted Secret), a Secret document among the manifests, and the environment variable {@code NAME_KEY}.
 * Nothing is cached, so a rotated key is used from the next request on. Empty values count as absent.
 */
public final class SecretResolver {

    private final Path secretsDir;
    private final UnaryOperator<String> environment;
    private final SecretRedactor redactor;

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
        if (secretsDir == null) {
            return Optional.empty();
        }
        Path file = file(ref);
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
