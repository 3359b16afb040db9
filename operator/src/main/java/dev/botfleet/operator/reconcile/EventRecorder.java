package dev.botfleet.operator.reconcile;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;

/**
 * Records a Kubernetes Event on a resource: for each transition to a failure, and for a few successes. An Event's
 * name follows from the resource, type, reason and message, so that the same event again raises the count and
 * the last timestamp of the one Event (as {@code kubectl get events} shows them) instead of adding another.
 */
public final class EventRecorder {

    private static final Logger log = LoggerFactory.getLogger(EventRecorder.class);

    private final KubernetesClient client;

    public EventRecorder(KubernetesClient client) {
        this.client = client;
    }

    public void warning(HasMetadata resource, String reason, String message) {
        record(resource, "Warning", reason, message);
    }

    public void normal(HasMetadata resource, String reason, String message) {
        record(resource, "Normal", reason, message);
    }

    private void record(HasMetadata resource, String type, String reason, String message) {
        String namespace = resource.getMetadata().getNamespace();
        String name = name(resource, type, reason, message);
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        try {
            try {
                client.v1().events().inNamespace(namespace).resource(new EventBuilder()
                        .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                        .withInvolvedObject(new ObjectReferenceBuilder()
                                .withApiVersion(resource.getApiVersion())
                                .withKind(resource.getKind())
                                .withName(resource.getMetadata().getName())
                                .withNamespace(namespace)
                                .withUid(resource.getMetadata().getUid())
                                .build())
                        .withType(type)
                        .withReason(reason)
                        .withMessage(message)
                        .withFirstTimestamp(now)
                        .withLastTimestamp(now)
                        .withCount(1)
                        .withNewSource().withComponent("botfleet-operator").endSource()
                        .build()).create();
            } catch (KubernetesClientException e) {
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                    throw e;
                }
                client.v1().events().inNamespace(namespace).withName(name).edit(event -> new EventBuilder(event)
                        .withCount(event.getCount() == null ? 2 : event.getCount() + 1)
                        .withLastTimestamp(now)
                        .build());
            }
        } catch (KubernetesClientException e) {
            log.warn("could not record event {} on {} {}: {}", reason, resource.getKind(),
                    resource.getMetadata().getName(), e.getMessage());
        }
    }

    /** {@code <resource>.<hash>}: the same for the same event on the same object, another for anything else. */
    static String name(HasMetadata resource, String type, String reason, String message) {
        String event = String.join("\n", resource.getKind(), resource.getMetadata().getUid(), type, reason, message);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(event.getBytes(StandardCharsets.UTF_8));
            return resource.getMetadata().getName() + "." + HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
