package dev.botfleet.e2e;

import dev.botfleet.api.BotRuntime;
import dev.botfleet.api.Condition;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The operator as the chart installs it, on the real API server with the real controller manager, scheduler and
 * kwok: bots become Ready through Deployments that become Available, failures show on status and as Events, and
 * deletion is carried out by the real garbage collector.
 */
@Order(3)
class OperatorIT {

    private static final String OPENAI_KEY = "sk-e2e-value-that-must-never-be-copied";

    private static ControlPlane cluster;
    private static KubernetesClient client;
    private static OperatorProcess operator;

    @BeforeAll
    static void startOperator() {
        Release release = Release.clusterWide();
        cluster = ControlPlane.get();
        client = cluster.admin();
        operator = release.startOperator("flow");
    }

    @AfterAll
    static void stopOperator() {
        operator.close();
    }


    private static String providerAndSecret() {
        return """
                apiVersion: v1
                kind: Secret
                metadata: {name: openai}
                stringData: {api-key: %s}
                ---
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMProvider
                metadata: {name: openai}
                spec:
                  baseUrl: https://api.openai.com/v1
                  apiKeySecretRef: {name: openai, key: api-key}
                  defaultModel: gpt-4o-mini
                  models: [gpt-4o-mini, gpt-4o]
                """.formatted(OPENAI_KEY);
    }

    @Test
    void botsBecomeReadyThroughAvailableDeploymentsOfTheirGroups() {
        String namespace = Namespaces.create(client, "flow");
        cluster.apply(namespace, providerAndSecret() + """
                ---
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {name: assistant}
                spec: {providerRef: {name: openai}, systemPrompt: Be brief.}
                ---
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {name: translator}
                spec: {providerRef: {name: openai}, model: gpt-4o}
                ---
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {name: smoke}
                spec: {handler: echo, runtime: tools}
                ---
                apiVersion: botfleet.dev/v1alpha1
                kind: BotRuntime
                metadata: {name: tools}
                spec: {replicas: 2, podLabels: {team: tools}}
                """);

        for (String bot : List.of("assistant", "translator", "smoke")) {
            cluster.kubectl("wait", "-n", namespace, "--for=condition=Ready", "llmbot/" + bot, "--timeout=120s")
                    .withTimeout(Duration.ofMinutes(3)).run().orFail();
        }

        ConfigMap config = client.configMaps().inNamespace(namespace).withName("botfleet-default").require();
        assertThat(config.getData().get("bots.yaml")).contains("name: assistant", "name: translator",
                "Be brief.", "name: openai").doesNotContain(OPENAI_KEY, "smoke");
        assertThat(config.getMetadata().getOwnerReferences()).extracting(o -> o.getName())
                .containsExactlyInAnyOrder("assistant", "translator");
        Deployment deployment = client.apps().deployments().inNamespace(namespace).withName("botfleet-default")
                .require();
        assertThat(deployment.getStatus().getAvailableReplicas()).isEqualTo(1);
        assertThat(deployment.getSpec().getTemplate().getSpec().getVolumes())
                .anySatisfy(volume -> assertThat(volume.getSecret() == null ? null
                        : volume.getSecret().getSecretName()).isEqualTo("openai"));
        assertThat(client.pods().inNamespace(namespace).withLabel("botfleet.dev/runtime", "default").list()
                .getItems()).singleElement().satisfies(pod -> {
                    assertThat(pod.getSpec().getNodeName()).isEqualTo("kwok-node-0");
                    assertThat(pod.getStatus().getPhase()).isEqualTo("Running");
                });
        assertThat(client.services().inNamespace(namespace).withName("botfleet-tools").get()).isNotNull();
        Deployment tools = client.apps().deployments().inNamespace(namespace).withName("botfleet-tools").require();
        assertThat(tools.getSpec().getReplicas()).isEqualTo(2);
        assertThat(tools.getSpec().getTemplate().getMetadata().getLabels()).containsEntry("team", "tools");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            BotRuntime runtime = client.resources(BotRuntime.class).inNamespace(namespace).withName("tools").get();
            assertThat(runtime.getStatus().getBots()).containsExactly("smoke");
            assertThat(runtime.getStatus().getConditions()).singleElement()
                    .satisfies(c -> assertThat(c.getStatus()).isEqualTo("True"));
        });
        assertThat(Bots.ready(client, namespace, "assistant").orElseThrow().getMessage())
                .contains("http://botfleet-default." + namespace + ".svc");
    }

    @Test
    void failuresShowOnStatusAndAsEvents() {
        String namespace = Namespaces.create(client, "reasons");
        cluster.apply(namespace, providerAndSecret() + """
                ---
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {name: no-provider}
                spec: {providerRef: {name: missing}}
                ---
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {name: wrong-model}
                spec: {providerRef: {name: openai}, model: gpt-3}
                ---
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {name: no-key}
                spec: {providerRef: {name: openai}, accessKeySecretRef: {name: poe-no-key, key: access-key}}
                """);

        Condition provider = Bots.awaitReason(client, namespace, "no-provider", "ProviderNotFound");
        Condition model = Bots.awaitReason(client, namespace, "wrong-model", "ModelNotAllowed");
        Condition key = Bots.awaitReason(client, namespace, "no-key", "AccessKeyNotFound");

        assertThat(provider.getMessage()).contains("LLMProvider 'missing' does not exist");
        assertThat(model.getMessage()).contains("model 'gpt-3' is not in spec.models");
        assertThat(key.getMessage()).contains("Secret 'poe-no-key'");
        String events = cluster.kubectl("get", "events", "-n", namespace).run().orFail().out();
        assertThat(events).contains("ProviderNotFound", "ModelNotAllowed", "AccessKeyNotFound",
                "llmbot/no-provider");
        List<Event> warnings = client.v1().events().inNamespace(namespace).list().getItems();
        assertThat(warnings).allSatisfy(event -> assertThat(event.getMessage()).doesNotContain(OPENAI_KEY));

        cluster.apply(namespace, """
                apiVersion: v1
                kind: Secret
                metadata: {name: poe-no-key, labels: {botfleet.dev/watch: "true"}}
                stringData: {access-key: poe-key}
                """);
        Bots.awaitReason(client, namespace, "no-key", "Ready");

        // The same failure again is counted on the one Event, as kubectl shows it: COUNT 2, not a second Event.
        cluster.kubectl("delete", "secret", "poe-no-key", "-n", namespace).run().orFail();
        Bots.awaitReason(client, namespace, "no-key", "AccessKeyNotFound");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(client.v1().events()
                .inNamespace(namespace).list().getItems())
                .filteredOn(event -> event.getReason().equals("AccessKeyNotFound"))
                .singleElement().satisfies(event -> assertThat(event.getCount()).isEqualTo(2)));
    }

    private static String scalingRuntime(String spec) {
        return """
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {name: busy}
                spec: {handler: echo, runtime: web}
                ---
                apiVersion: botfleet.dev/v1alpha1
                kind: BotRuntime
                metadata: {name: web}
                spec: %s
                """.formatted(spec);
    }

    /**
     * The real HPA controller owns the replicas of an autoscaled group: it raises them to minReplicas, and the
     * operator's own rewrites of the Deployment keep them. The autoscaler and the disruption budget follow the
     * BotRuntime (created, updated, repaired, removed) and go with the group.
     */
    @Test
    void anAutoscaledGroupKeepsItsReplicasAndADisruptionBudget() {
        String namespace = Namespaces.create(client, "scale");
        cluster.apply(namespace, scalingRuntime(
                "{autoscaling: {minReplicas: 2, maxReplicas: 5, targetCPUUtilization: 70}, drainTimeout: 3m}"));

        HorizontalPodAutoscaler autoscaler = await().atMost(Duration.ofSeconds(30)).until(
                () -> client.resources(HorizontalPodAutoscaler.class).inNamespace(namespace).withName("botfleet-web")
                        .get(), Objects::nonNull);
        assertThat(autoscaler.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(owner -> assertThat(owner.getKind() + "/" + owner.getName())
                        .isEqualTo("ConfigMap/botfleet-web"));
        assertThat(autoscaler.getSpec().getScaleTargetRef().getName()).isEqualTo("botfleet-web");
        assertThat(autoscaler.getSpec().getMetrics()).singleElement().satisfies(metric ->
                assertThat(metric.getResource().getTarget().getAverageUtilization()).isEqualTo(70));
        PodDisruptionBudget budget = client.resources(PodDisruptionBudget.class).inNamespace(namespace)
                .withName("botfleet-web").require();
        assertThat(budget.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            BotRuntime runtime = client.resources(BotRuntime.class).inNamespace(namespace).withName("web").get();
            assertThat(runtime.getStatus().getReplicas()).as("raised to minReplicas by the HPA controller")
                    .isEqualTo(2);
            assertThat(runtime.getStatus().getReadyReplicas()).isEqualTo(2);
            assertThat(runtime.getStatus().getBotCount()).isEqualTo(1);
        });
        Deployment deployment = client.apps().deployments().inNamespace(namespace).withName("botfleet-web")
                .require();
        assertThat(deployment.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds())
                .isEqualTo(5 + 180 + 10);
        assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
                .contains("--botfleet.drain-timeout=180s");

        cluster.apply(namespace, scalingRuntime("{autoscaling: {minReplicas: 2, maxReplicas: 6, "
                + "targetCPUUtilization: 70}, drainTimeout: 4m, disruptionBudget: {maxUnavailable: 2}}"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(client.apps().deployments().inNamespace(namespace).withName("botfleet-web").require()
                    .getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds()).isEqualTo(5 + 240 + 10);
            assertThat(client.resources(HorizontalPodAutoscaler.class).inNamespace(namespace)
                    .withName("botfleet-web").require().getSpec().getMaxReplicas()).isEqualTo(6);
            assertThat(client.resources(PodDisruptionBudget.class).inNamespace(namespace).withName("botfleet-web")
                    .require().getSpec().getMaxUnavailable().getIntVal()).isEqualTo(2);
        });
        assertThat(client.apps().deployments().inNamespace(namespace).withName("botfleet-web").require()
                .getSpec().getReplicas()).as("the operator's rewrite keeps the HPA's replicas").isEqualTo(2);

        client.resources(PodDisruptionBudget.class).inNamespace(namespace).withName("botfleet-web").delete();
        await().atMost(Duration.ofSeconds(30)).until(() -> client.resources(PodDisruptionBudget.class)
                .inNamespace(namespace).withName("botfleet-web").get() != null);

        cluster.apply(namespace, scalingRuntime("{replicas: 1}"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(client.resources(HorizontalPodAutoscaler.class).inNamespace(namespace).list().getItems())
                    .isEmpty();
            assertThat(client.resources(PodDisruptionBudget.class).inNamespace(namespace).list().getItems())
                    .isEmpty();
            assertThat(client.apps().deployments().inNamespace(namespace).withName("botfleet-web").require()
                    .getSpec().getReplicas()).isEqualTo(1);
        });

        cluster.apply(namespace, scalingRuntime("{replicas: 3}"));
        await().atMost(Duration.ofSeconds(30)).until(() -> client.resources(PodDisruptionBudget.class)
                .inNamespace(namespace).withName("botfleet-web").get() != null);
        cluster.kubectl("delete", "-n", namespace, "llmbot/busy", "--wait=true").run().orFail();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(client.resources(PodDisruptionBudget.class).inNamespace(namespace).list().getItems())
                    .isEmpty();
            assertThat(client.apps().deployments().inNamespace(namespace).list().getItems()).isEmpty();
        });
    }

    @Test
    void deletedBotsTakeTheirGroupWithThemThroughTheGarbageCollector() {
        String namespace = Namespaces.create(client, "gc");
        cluster.apply(namespace, ControlPlane.echoBot("one") + "---\n" + ControlPlane.echoBot("two"));
        Bots.awaitReason(client, namespace, "one", "Ready");
        Bots.awaitReason(client, namespace, "two", "Ready");

        cluster.kubectl("delete", "-n", namespace, "llmbot/one", "--wait=true").run().orFail();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(client.configMaps()
                .inNamespace(namespace).withName("botfleet-default").require().getData().get("bots.yaml"))
                .doesNotContain("name: one").contains("name: two"));

        cluster.kubectl("delete", "-n", namespace, "llmbot/two", "--wait=true").run().orFail();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(client.configMaps().inNamespace(namespace).withName("botfleet-default").get()).isNull();
            assertThat(client.apps().deployments().inNamespace(namespace).list().getItems()).isEmpty();
            assertThat(client.apps().replicaSets().inNamespace(namespace).list().getItems()).isEmpty();
            assertThat(client.services().inNamespace(namespace).list().getItems()).isEmpty();
            assertThat(client.pods().inNamespace(namespace).list().getItems()).isEmpty();
        });
    }

    @Test
    void aNamespaceWithBotsFinishesDeleting() {
        String namespace = Namespaces.create(client, "doomed");
        cluster.apply(namespace, providerAndSecret() + """
                ---
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {name: doomed}
                spec: {providerRef: {name: openai}}
                """);
        Bots.awaitReason(client, namespace, "doomed", "Ready");

        cluster.kubectl("delete", "namespace", namespace, "--wait=true", "--timeout=90s")
                .withTimeout(Duration.ofMinutes(2)).run().orFail();

        assertThat(client.namespaces().withName(namespace).get()).isNull();
    }
}
