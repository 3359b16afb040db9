package dev.botfleet.operator.reconcile;

import dev.botfleet.api.BotRuntime;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DefaultRuntimesTest {

    private static BotRuntime runtime(Map<String, String> labels, ManagedFieldsEntry... managers) {
        BotRuntime runtime = new BotRuntime();
        runtime.setMetadata(new ObjectMetaBuilder().withName("web").withLabels(labels)
                .withManagedFields(managers.length == 0 ? null : List.of(managers)).build());
        return runtime;
    }

    private static ManagedFieldsEntry manager(String name, String subresource) {
        return new ManagedFieldsEntryBuilder().withManager(name).withOperation("Update").withSubresource(subresource)
                .build();
    }

    private static final Map<String, String> MADE = Map.of(DefaultRuntimes.MADE_FOR_BOTS, "true");

    @Test
    void oneTheOperatorMadeAndOnlyItWroteIsTheOperators() {
        assertThat(DefaultRuntimes.ownedByOperator(runtime(MADE))).as("no field managers (the API mock)").isTrue();
        assertThat(DefaultRuntimes.ownedByOperator(runtime(MADE, manager(DefaultRuntimes.FIELD_MANAGER, null),
                manager("someone", "status")))).as("others wrote only its status").isTrue();
    }

    @Test
    void oneSomebodyElseWroteOrMadeIsTheirs() {
        assertThat(DefaultRuntimes.ownedByOperator(runtime(MADE, manager(DefaultRuntimes.FIELD_MANAGER, null),
                manager("kubectl-client-side-apply", null)))).isFalse();
        assertThat(DefaultRuntimes.ownedByOperator(runtime(MADE, manager("argocd-controller", null)))).isFalse();
        assertThat(DefaultRuntimes.ownedByOperator(runtime(Map.of()))).as("applied by a person").isFalse();
        assertThat(DefaultRuntimes.ownedByOperator(runtime(null))).isFalse();
        assertThat(DefaultRuntimes.ownedByOperator(runtime(Map.of(DefaultRuntimes.MADE_FOR_BOTS, "false"))))
                .isFalse();
    }
}
