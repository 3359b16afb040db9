package dev.botfleet.e2e;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.concurrent.atomic.AtomicInteger;

/** Namespaces of their own for each test, so that tests sharing the control plane do not see each other. */
final class Namespaces {

    private static final AtomicInteger COUNT = new AtomicInteger();

    private Namespaces() {
    }

    static String create(KubernetesClient client, String prefix) {
        String name = prefix + "-" + COUNT.incrementAndGet();
        client.resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
        return name;
    }
}
