package dev.botfleet.operator;

import dev.botfleet.api.SecretKeyRef;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Tells whether a referenced Secret and key exist, reading the Secret when asked rather than caching every Secret
 * of the cluster. Of a value only its emptiness is looked at; values are never kept or logged.
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

    private static boolean isEmpty(String value) {
        return value == null || value.isBlank();
    }
}
