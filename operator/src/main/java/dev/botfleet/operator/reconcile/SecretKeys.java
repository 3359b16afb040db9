package dev.botfleet.operator.reconcile;

import dev.botfleet.api.SecretKeyRef;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Tells whether a referenced Secret and key exist, reading the Secret when asked rather than caching every Secret
 * of the cluster. A value is read only where the operator itself must use it (a bot's access key, to push its
 * settings to Poe); values are never kept or logged.
 */
public final class SecretKeys {

    public enum Presence { PRESENT, SECRET_NOT_FOUND, KEY_MISSING }

    private final KubernetesClient client;

    public SecretKeys(KubernetesClient client) {
        this.client = client;
    }

    public Presence check(String namespace, SecretKeyRef ref) {
        Secret secret = client.secrets().inNamespace(namespace).withName(ref.getName()).get();
        if (secret == null) {
            return Presence.SECRET_NOT_FOUND;
        }
        boolean inData = secret.getData() != null && !isEmpty(secret.getData().get(ref.getKey()));
        boolean inStringData = secret.getStringData() != null && !isEmpty(secret.getStringData().get(ref.getKey()));
        return inData || inStringData ? Presence.PRESENT : Presence.KEY_MISSING;
    }

    /** The key's value, empty when the Secret, the key or a value is missing. */
    public Optional<String> value(String namespace, SecretKeyRef ref) {
        Secret secret = client.secrets().inNamespace(namespace).withName(ref.getName()).get();
        if (secret == null) {
            return Optional.empty();
        }
        if (secret.getStringData() != null && !isEmpty(secret.getStringData().get(ref.getKey()))) {
            return Optional.of(secret.getStringData().get(ref.getKey()).strip());
        }
        String encoded = secret.getData() == null ? null : secret.getData().get(ref.getKey());
        if (isEmpty(encoded)) {
            return Optional.empty();
        }
        String decoded = new String(Base64.getMimeDecoder().decode(encoded), StandardCharsets.UTF_8).strip();
        return decoded.isEmpty() ? Optional.empty() : Optional.of(decoded);
    }

    private static boolean isEmpty(String value) {
        return value == null || value.isBlank();
    }
}
