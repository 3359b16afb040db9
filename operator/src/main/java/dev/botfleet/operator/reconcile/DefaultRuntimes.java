package dev.botfleet.operator.reconcile;

import dev.botfleet.api.BotRuntime;
import dev.botfleet.api.BotRuntimeSpec;
import dev.botfleet.operator.desired.RuntimeGroup;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.List;
import java.util.Map;

/**
 * The BotRuntime the operator makes for a runtime group that bots name and that has none, so that every group has
 * one object for the operator SDK to reconcile. It carries no settings, and stays the operator's only while nobody
 * else writes it: once a person or a GitOps tool applies it, labels it or edits it, it is theirs, and the operator
 * never deletes it. One the operator still owns is deleted when its last bot goes.
 */
public final class DefaultRuntimes {

    /** The operator's field manager: the API server names it after the client's user agent. */
    public static final String FIELD_MANAGER = "botfleet-operator";
    public static final String MADE_FOR_BOTS = "botfleet.dev/made-for-bots";

    private DefaultRuntimes() {
    }

    static BotRuntime create(KubernetesClient client, RuntimeGroup group) {
        BotRuntime runtime = new BotRuntime();
        runtime.setMetadata(new ObjectMetaBuilder().withName(group.name()).withNamespace(group.namespace())
                .withLabels(Map.of(RuntimeGroup.MANAGED_BY, RuntimeGroup.OPERATOR, MADE_FOR_BOTS, "true"))
                .build());
        runtime.setSpec(new BotRuntimeSpec());
        return client.resource(runtime).create();
    }

    /** Whether the operator made this BotRuntime and nobody has written anything of it since, but its status. */
    static boolean ownedByOperator(BotRuntime runtime) {
        Map<String, String> labels = runtime.getMetadata().getLabels();
        if (labels == null || !"true".equals(labels.get(MADE_FOR_BOTS))) {
            return false;
        }
        List<ManagedFieldsEntry> managers = runtime.getMetadata().getManagedFields();
        return managers == null || managers.stream()
                .allMatch(entry -> FIELD_MANAGER.equals(entry.getManager()) || "status".equals(entry.getSubresource()));
    }
}
