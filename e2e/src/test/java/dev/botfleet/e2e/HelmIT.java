package dev.botfleet.e2e;

import dev.botfleet.api.LLMBot;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The chart installed, upgraded and uninstalled by helm in namespaced mode: a Role in each watched namespace
 * and nothing cluster-wide, and an operator that works with exactly that.
 */
@Order(2)
class HelmIT {

    private final ControlPlane cluster = ControlPlane.get();
    private final KubernetesClient client = cluster.admin();



    @Test
    void namespacedInstallUpgradeAndUninstall() {
        Crds.install(cluster);
        String watched = Namespaces.create(client, "tenant");
        String other = Namespaces.create(client, "elsewhere");
        Release release = Release.install(cluster, "tenant-botfleet", "tenant-system",
                "watchNamespaces={" + watched + "}");
        String serviceAccount = "system:serviceaccount:tenant-system:" + release.fullname();

        assertThat(client.rbac().clusterRoles().withName(release.fullname()).get()).isNull();
        assertThat(client.rbac().roles().inNamespace(watched).withName(release.fullname()).get()).isNotNull();
        assertThat(canI(serviceAccount, "create", "deployments", watched)).isTrue();
        assertThat(canI(serviceAccount, "get", "secrets", other)).isFalse();
        assertThat(canI(serviceAccount, "list", "llmbots", "")).isFalse();

        try (OperatorProcess operator = release.startOperator("tenant")) {
            cluster.apply(watched, ControlPlane.echoBot("inside"));
            cluster.apply(other, ControlPlane.echoBot("outside"));
            Bots.awaitReason(client, watched, "inside", "Ready");
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                    .until(() -> Bots.ready(client, other, "outside").isEmpty());
            assertThat(client.apps().deployments().inNamespace(watched).withName("botfleet-default").require()
                    .getSpec().getReplicas()).isEqualTo(1);
        }

        release.upgrade("runtime.replicas=2");
        assertThat(release.operatorEnvironment()).containsEntry("BOTFLEET_RUNTIME_REPLICAS", "2")
                .containsEntry("BOTFLEET_NAMESPACES", watched);
        try (OperatorProcess operator = release.startOperator("tenant-upgraded")) {
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(client.apps().deployments()
                    .inNamespace(watched).withName("botfleet-default").require().getSpec().getReplicas())
                    .isEqualTo(2));
            Bots.awaitReason(client, watched, "inside", "Ready");
        }

        release.uninstall();
        assertThat(client.apps().deployments().inNamespace("tenant-system").withName(release.fullname()).get())
                .isNull();
        assertThat(client.rbac().roles().inNamespace(watched).withName(release.fullname()).get()).isNull();
        assertThat(client.apiextensions().v1().customResourceDefinitions().withName("llmbots.botfleet.dev").get())
                .as("CRDs outlive the release").isNotNull();
        LLMBot kept = client.resources(LLMBot.class).inNamespace(watched).withName("inside").get();
        assertThat(kept).as("users' bots outlive the release").isNotNull();
        assertThat(kept.getMetadata().getFinalizers()).isNotEmpty();
        assertThat(client.apps().deployments().inNamespace(watched).withName("botfleet-default").get())
                .as("the group keeps serving without the operator").isNotNull();

        // Documented in docs/operator.md (Uninstalling): without the operator, the finalizer keeps a deleted bot until it is removed.
        cluster.kubectl("delete", "-n", watched, "llmbot/inside", "--wait=false").run().orFail();
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> client
                .resources(LLMBot.class).inNamespace(watched).withName("inside").get() != null);
        cluster.kubectl("patch", "-n", watched, "llmbot/inside", "--type=merge", "-p",
                "{\"metadata\":{\"finalizers\":null}}").run().orFail();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(client.resources(LLMBot.class).inNamespace(watched).withName("inside").get()).isNull();
            assertThat(client.configMaps().inNamespace(watched).withName("botfleet-default").get()).isNull();
            assertThat(client.apps().deployments().inNamespace(watched).withName("botfleet-default").get()).isNull();
        });
    }

    @Test
    void aWatchedNamespaceThatDoesNotExistIsNamedInTheRefusal() {
        Crds.install(cluster);
        Command.Result install = cluster.helm("install", "early-botfleet", Release.CHART.toString(), "-n",
                "early-system", "--create-namespace", "--set", "watchNamespaces={not-yet-created}").run();

        assertThat(install.succeeded()).isFalse();
        assertThat(install.err()).contains("namespaces \"not-yet-created\" not found");
        assertThat(client.rbac().roles().inAnyNamespace().withLabel("app.kubernetes.io/instance", "early-botfleet")
                .list().getItems()).isEmpty();
    }

    private boolean canI(String user, String verb, String resource, String namespace) {
        Command.Result result = cluster.kubectl("auth", "can-i", verb, resource, "--as", user,
                namespace.isEmpty() ? "--all-namespaces" : "--namespace=" + namespace).run();
        return result.out().strip().equals("yes");
    }
}
