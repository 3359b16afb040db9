package dev.botfleet.operator;

import dev.botfleet.api.BotRuntime;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class BotRuntimeTest extends OperatorTestBase {

    private BotRuntime runtime(String group) {
        return client.resources(BotRuntime.class).inNamespace(NAMESPACE).withName(group).get();
    }

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
}
