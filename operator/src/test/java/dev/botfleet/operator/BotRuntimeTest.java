package dev.botfleet.operator;

import dev.botfleet.api.BotRuntime;
import dev.botfleet.api.BotRuntimeStatus;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class BotRuntimeTest extends OperatorTestBase {

    @Test
    void aBotRuntimeOverridesTheGroupsDeploymentAndListsItsBots() {
        secret("openai", Map.of("api-key", OPENAI_KEY));
        provider("openai", "openai");
        apply("""
                apiVersion: botfleet.dev/v1alpha1
                kind: BotRuntime
                metadata: {name: support}
                spec:
                  image: registry.example.com/support-runtime:1.0.0
                  handlers: [ticket-triage]
                  replicas: 3
                  resources: {limits: {memory: 1Gi}}
                  podLabels: {team: support, botfleet.dev/runtime: hijacked}
                  podAnnotations: {prometheus.io/scrape: "true"}
                  nodeSelector: {pool: bots}
                  tolerations: [{key: bots, operator: Exists, effect: NoSchedule}]
                """, BotRuntime.class);
        bot("triage", "openai", "support", "handler: ticket-triage");
        bot("plain", "openai", "default", "");

        await().atMost(Duration.ofSeconds(15)).until(() -> deployment("support") != null && deployment("default") != null);
        var deployment = deployment("support");
        PodTemplateSpec template = deployment.getSpec().getTemplate();
        Container container = template.getSpec().getContainers().get(0);
        assertThat(container.getImage()).isEqualTo("registry.example.com/support-runtime:1.0.0");
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(3);
        assertThat(container.getResources().getLimits().get("memory").toString()).isEqualTo("1Gi");
        assertThat(template.getMetadata().getLabels()).containsEntry("team", "support")
                .containsEntry("botfleet.dev/runtime", "support");
        assertThat(template.getMetadata().getAnnotations()).containsEntry("prometheus.io/scrape", "true");
        assertThat(template.getSpec().getNodeSelector()).containsEntry("pool", "bots");
        assertThat(template.getSpec().getTolerations()).singleElement()
                .satisfies(t -> assertThat(t.getKey()).isEqualTo("bots"));

        Container defaultContainer = deployment("default").getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(defaultContainer.getImage()).as("groups without a BotRuntime keep the defaults")
                .isEqualTo(OperatorSettings.DEFAULT_RUNTIME_IMAGE);

        awaitBot("triage", "RuntimeNotAvailable");
        await().atMost(Duration.ofSeconds(10)).until(() -> runtime("support").getStatus() != null
                && runtime("support").getStatus().getBots() != null
                && runtime("support").getStatus().getBots().contains("triage"));
        assertThat(runtime("support").getStatus().getBots()).containsExactly("triage");
    }

    @Test
    void changingABotRuntimeRollsOnlyItsGroup() {
        secret("openai", Map.of("api-key", OPENAI_KEY));
        provider("openai", "openai");
        bot("triage", "openai", "support", "");
        await().atMost(Duration.ofSeconds(10)).until(() -> deployment("support") != null);

        apply("""
                apiVersion: botfleet.dev/v1alpha1
                kind: BotRuntime
                metadata: {name: support}
                spec: {replicas: 2}
                """, BotRuntime.class);

        await().atMost(Duration.ofSeconds(10)).until(() -> deployment("support").getSpec().getReplicas() == 2);
    }

    private HorizontalPodAutoscaler autoscaler(String group) {
        return client.resources(HorizontalPodAutoscaler.class).inNamespace(NAMESPACE).withName("botfleet-" + group)
                .get();
    }

    private PodDisruptionBudget budget(String group) {
        return client.resources(PodDisruptionBudget.class).inNamespace(NAMESPACE).withName("botfleet-" + group)
                .get();
    }

    @Test
    void anAutoscalerOwnsTheReplicasUntilTheBotRuntimeFixesThemAgain() {
        secret("openai", Map.of("api-key", OPENAI_KEY));
        provider("openai", "openai");
        bot("triage", "openai", "web", "");
        runtimeSpec("web", "{autoscaling: {minReplicas: 2, maxReplicas: 4, targetOpenStreamsPerPod: 100}}");
        await().atMost(Duration.ofSeconds(10)).until(() -> autoscaler("web") != null && budget("web") != null);
        client.apps().deployments().inNamespace(NAMESPACE).withName("botfleet-web")
                .edit(d -> new DeploymentBuilder(d).editSpec().withReplicas(3).endSpec().build());

        runtimeSpec("web", "{autoscaling: {minReplicas: 2, maxReplicas: 4, targetOpenStreamsPerPod: 100}, "
                + "drainTimeout: 7m}");
        await().atMost(Duration.ofSeconds(10)).until(() -> deployment("web").getSpec().getTemplate().getSpec()
                .getTerminationGracePeriodSeconds() == 5 + 420 + 10);
        assertThat(deployment("web").getSpec().getReplicas()).as("what the autoscaler set").isEqualTo(3);

        client.resources(HorizontalPodAutoscaler.class).inNamespace(NAMESPACE).withName("botfleet-web").delete();
        await().atMost(Duration.ofSeconds(10)).until(() -> autoscaler("web") != null);

        runtimeSpec("web", "{replicas: 1}");
        await().atMost(Duration.ofSeconds(10)).until(() -> autoscaler("web") == null && budget("web") == null
                && deployment("web").getSpec().getReplicas() == 1);
    }

    @Test
    void theStatusCountsTheGroupsReplicasAndBots() {
        secret("openai", Map.of("api-key", OPENAI_KEY));
        provider("openai", "openai");
        bot("one", "openai", "web", "");
        bot("two", "openai", "web", "");
        apply("""
                apiVersion: botfleet.dev/v1alpha1
                kind: BotRuntime
                metadata: {name: web}
                spec: {replicas: 3}
                """, BotRuntime.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> deployment("web") != null
                && deployment("web").getSpec().getReplicas() == 3);
        client.apps().deployments().inNamespace(NAMESPACE).withName("botfleet-web").editStatus(d ->
                new DeploymentBuilder(d).withNewStatus().withReplicas(3).withReadyReplicas(2).withUpdatedReplicas(1)
                        .withAvailableReplicas(2).endStatus().build());

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            BotRuntimeStatus status = runtime("web").getStatus();
            assertThat(status.getBots()).containsExactly("one", "two");
            assertThat(status.getBotCount()).isEqualTo(2);
            assertThat(status.getReplicas()).isEqualTo(3);
            assertThat(status.getReadyReplicas()).isEqualTo(2);
            assertThat(status.getUpdatedReplicas()).isEqualTo(1);
            assertThat(ready(runtime("web")).reason()).isEqualTo("Ready");
            assertThat(ready(runtime("web")).message()).contains("2 bot(s)", "2 of 3 replica(s) ready", "1 up to date");
        });

        client.apps().deployments().inNamespace(NAMESPACE).withName("botfleet-web").editStatus(d ->
                new DeploymentBuilder(d).withNewStatus().withReplicas(3).withReadyReplicas(0).endStatus().build());
        await().atMost(Duration.ofSeconds(10)).until(() -> "RuntimeNotAvailable".equals(ready(runtime("web")).reason()));
        assertThat(runtime("web").getStatus().getUpdatedReplicas()).isZero();
    }
}
