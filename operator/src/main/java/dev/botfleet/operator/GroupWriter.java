package dev.botfleet.operator;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;
import java.util.Optional;

/**
 * Writes a runtime group's objects, and only when they differ from what is there: the ConfigMap by its data and
 * owners, the Deployment and Service by the hash of their desired spec. Updates carry the resourceVersion they
 * were computed from, so a concurrent change fails with a conflict and the reconcile is retried.
 */
public final class GroupWriter {

    private static final Logger log = LoggerFactory.getLogger(GroupWriter.class);

    private final KubernetesClient client;

    public GroupWriter(KubernetesClient client) {
        this.client = client;
    }

    /** Makes the ConfigMap match; returns the one now stored. */
    public ConfigMap apply(ConfigMap desired, Optional<ConfigMap> actual) {
        if (actual.isEmpty()) {
            log.info("creating ConfigMap {}/{}", desired.getMetadata().getNamespace(), desired.getMetadata().getName());
            return client.resource(desired).create();
        }
        ConfigMap current = actual.get();
        if (Objects.equals(current.getData(), desired.getData())
                && Objects.equals(current.getMetadata().getOwnerReferences(), desired.getMetadata().getOwnerReferences())
                && labelsMatch(current, desired)) {
            return current;
        }
        log.info("updating ConfigMap {}/{}", desired.getMetadata().getNamespace(), desired.getMetadata().getName());
        desired.getMetadata().setResourceVersion(current.getMetadata().getResourceVersion());
        return client.resource(desired).update();
    }

    public void apply(Deployment desired, Optional<Deployment> actual) {
        applyByHash(desired, actual.map(d -> (HasMetadata) d));
    }

    public void apply(Service desired, Optional<Service> actual) {
        applyByHash(desired, actual.map(s -> (HasMetadata) s));
    }

    private void applyByHash(HasMetadata desired, Optional<HasMetadata> actual) {
        String kind = desired.getKind();
        String name = desired.getMetadata().getNamespace() + "/" + desired.getMetadata().getName();
        if (actual.isEmpty()) {
            log.info("creating {} {}", kind, name);
            client.resource(desired).create();
            return;
        }
        HasMetadata current = actual.get();
        if (Objects.equals(GroupWorkload.hashOf(current), GroupWorkload.hashOf(desired)) && labelsMatch(current, desired)) {
            return;
        }
        log.info("updating {} {}", kind, name);
        HasMetadata updated = merge(desired, current);
        client.resource(updated).update();
    }

    /** The desired object on top of the stored one, keeping what the API server owns (clusterIP, status). */
    private static HasMetadata merge(HasMetadata desired, HasMetadata current) {
        desired.getMetadata().setResourceVersion(current.getMetadata().getResourceVersion());
        if (desired instanceof Service service && current instanceof Service stored) {
            service.getSpec().setClusterIP(stored.getSpec().getClusterIP());
            service.getSpec().setClusterIPs(stored.getSpec().getClusterIPs());
        }
        return desired;
    }

    private static boolean labelsMatch(HasMetadata current, HasMetadata desired) {
        return current.getMetadata().getLabels() != null
                && current.getMetadata().getLabels().entrySet().containsAll(desired.getMetadata().getLabels().entrySet());
    }

    public void delete(RuntimeGroup group) {
        log.info("removing runtime group {}", group.key());
        client.apps().deployments().inNamespace(group.namespace()).withName(group.objectName()).delete();
        client.services().inNamespace(group.namespace()).withName(group.objectName()).delete();
        client.configMaps().inNamespace(group.namespace()).withName(group.objectName()).delete();
    }
}
