package dev.botfleet.operator.desired;

import dev.botfleet.api.GroupConfig;
import dev.botfleet.api.LLMBot;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;

import java.util.List;
import java.util.Map;

/**
 * The metadata every object of a runtime group carries (name, namespace, labels, owners), and the group's
 * ConfigMap and Service.
 */
public final class GroupObjects {

    private GroupObjects() {
    }

    public static ConfigMap configMap(RuntimeGroup group, GroupConfig config, List<LLMBot> owners) {
        return new ConfigMapBuilder()
                .withMetadata(new ObjectMetaBuilder(metadata(group))
                        .withOwnerReferences(owners.stream().map(GroupObjects::owner).toList()).build())
                .withData(Map.of(RuntimeGroup.CONFIG_KEY, config.yaml()))
                .build();
    }

    public static Service service(RuntimeGroup group, ConfigMap owner) {
        Service service = new ServiceBuilder()
                .withMetadata(new ObjectMetaBuilder(metadata(group)).withOwnerReferences(owner(owner)).build())
                .withNewSpec()
                .withType("ClusterIP")
                .withSelector(group.selector())
                .addNewPort().withName("http").withPort(80).withNewTargetPort("http").withProtocol("TCP").endPort()
                .addNewPort().withName("management").withPort(8081).withNewTargetPort("management")
                .withProtocol("TCP").endPort()
                .endSpec()
                .build();
        return DesiredHash.stamp(service, service.getSpec());
    }

    static ObjectMeta metadata(RuntimeGroup group) {
        return new ObjectMetaBuilder().withName(group.objectName()).withNamespace(group.namespace())
                .withLabels(group.labels()).build();
    }

    static OwnerReference owner(io.fabric8.kubernetes.api.model.HasMetadata owner) {
        return new OwnerReferenceBuilder()
                .withApiVersion(owner.getApiVersion())
                .withKind(owner.getKind())
                .withName(owner.getMetadata().getName())
                .withUid(owner.getMetadata().getUid())
                .build();
    }
}
