package dev.botfleet.operator.write;

import com.fasterxml.jackson.databind.JsonNode;
import dev.botfleet.operator.desired.DesiredHash;
import dev.botfleet.operator.desired.RuntimeGroup;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiPredicate;

/**
 * Writes a runtime group's objects, and only when they differ from what is there: the ConfigMap by its data and
 * owners, the Deployment, Service and the rest by the hash of their desired spec and by every field of it, so that
 * a hand edit of what the operator owns is put back (see {@link OwnedFields}). Updates carry the resourceVersion they
 * were computed from, so a concurrent change fails with a conflict and the reconcile is retried. Each write is
 * handed to the informer that watches the kind, so its cache answers with it at once and the event the write
 * causes does not wake the group again.
 */
public final class GroupWriter {

    private static final Logger log = LoggerFactory.getLogger(GroupWriter.class);

    private static final BiPredicate<ConfigMap, ConfigMap> SAME_CONFIG_MAP = (current, wanted) ->
            Objects.equals(current.getData(), wanted.getData()) && Objects.equals(
                    current.getMetadata().getOwnerReferences(), wanted.getMetadata().getOwnerReferences());

    private final KubernetesClient client;

    public GroupWriter(KubernetesClient client) {
        this.client = client;
    }

    /** Makes the ConfigMap match; returns the one now stored. */
    public ConfigMap apply(ConfigMap desired, InformerEventSource<ConfigMap, ?> cache) {
        return write(desired, cache, SAME_CONFIG_MAP);
    }

    /**
     * Makes a Deployment, Service, autoscaler or disruption budget match: the hash of its desired spec, and every
     * field the desired spec sets.
     */
    public <R extends HasMetadata> R applyOwned(R desired, InformerEventSource<R, ?> cache) {
        return write(desired, cache, (current, wanted) ->
                Objects.equals(DesiredHash.of(current), DesiredHash.of(wanted))
                        && undrifted(current, wanted));
    }

    private static <R extends HasMetadata> boolean undrifted(R current, R wanted) {
        Optional<String> drift = OwnedFields.drift(spec(wanted), spec(current));
        drift.ifPresent(field -> log.info("{} {}/{} was changed by someone else at spec{}; putting it back",
                current.getKind(), current.getMetadata().getNamespace(), current.getMetadata().getName(), field));
        return drift.isEmpty();
    }

    private static JsonNode spec(HasMetadata resource) {
        return Serialization.jsonMapper().valueToTree(resource).get("spec");
    }

    private <R extends HasMetadata> R write(R desired, InformerEventSource<R, ?> cache,
                                            BiPredicate<R, R> sameContent) {
        ResourceID id = ResourceID.fromResource(desired);
        String name = desired.getKind() + " " + id.getNamespace().orElse("") + "/" + id.getName();
        Optional<R> actual = cache.get(id);
        if (actual.isEmpty()) {
            log.info("creating {}", name);
            R created = client.resource(desired).create();
            cache.handleRecentResourceCreate(id, created);
            return created;
        }
        R current = actual.get();
        if (same(current, desired, sameContent)) {
            return current;
        }
        log.info("updating {}", name);
        desired.getMetadata().setResourceVersion(current.getMetadata().getResourceVersion());
        if (desired instanceof Service service && current instanceof Service stored) {
            // The API server owns the cluster IP; an update must carry it unchanged.
            service.getSpec().setClusterIP(stored.getSpec().getClusterIP());
            service.getSpec().setClusterIPs(stored.getSpec().getClusterIPs());
        }
        if (desired instanceof Deployment deployment && current instanceof Deployment stored
                && deployment.getSpec().getReplicas() == null) {
            // An autoscaler owns the replicas; an update without them would reset the group to one pod.
            deployment.getSpec().setReplicas(stored.getSpec().getReplicas());
        }
        R updated = client.resource(desired).update();
        cache.handleRecentResourceUpdate(id, updated, current);
        return updated;
    }

    private static <R extends HasMetadata> boolean same(R current, R desired, BiPredicate<R, R> sameContent) {
        Map<String, String> labels = current.getMetadata().getLabels();
        return sameContent.test(current, desired) && labels != null
                && labels.entrySet().containsAll(desired.getMetadata().getLabels().entrySet());
    }

    /** Removes an object the group no longer wants, if it is there. */
    public <R extends HasMetadata> void removeIfPresent(ResourceID id, InformerEventSource<R, ?> cache) {
        cache.get(id).ifPresent(stored -> {
            log.info("removing {} {}/{}", stored.getKind(), id.getNamespace().orElse(""), id.getName());
            client.resource(stored).delete();
        });
    }

    public void delete(RuntimeGroup group) {
        log.info("removing runtime group {}", group.key());
        client.resources(HorizontalPodAutoscaler.class).inNamespace(group.namespace()).withName(group.objectName())
                .delete();
        client.resources(PodDisruptionBudget.class).inNamespace(group.namespace()).withName(group.objectName())
                .delete();
        client.apps().deployments().inNamespace(group.namespace()).withName(group.objectName()).delete();
        client.services().inNamespace(group.namespace()).withName(group.objectName()).delete();
        client.configMaps().inNamespace(group.namespace()).withName(group.objectName()).delete();
    }
}
