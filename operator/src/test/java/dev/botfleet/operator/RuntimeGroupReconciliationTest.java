package dev.botfleet.operator;

import dev.botfleet.api.BotRuntime;
import dev.botfleet.api.GroupConfig;
import dev.botfleet.api.LLMBot;
import dev.botfleet.operator.desired.DesiredHash;
import dev.botfleet.operator.desired.RuntimeGroup;
import dev.botfleet.operator.reconcile.DefaultRuntimes;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class RuntimeGroupReconciliationTest extends OperatorTestBase {

    private void openaiWithAssistant() {
        secret("openai", Map.of("api-key", OPENAI_KEY));
        secret("poe-assistant", Map.of("access-key", ACCESS_KEY));
        provider("openai", "openai");
        bot("assistant", "openai", "default", """
                systemPrompt: Be helpful.
                accessKeySecretRef: {name: poe-assistant, key: access-key}
                """);
        await().atMost(Duration.ofSeconds(15)).until(() -> deployment("default") != null && service("default") != null);
    }

    @Test
    void providerSecretAndBotBecomeAConfigMapDeploymentServiceAndStatus() {
        openaiWithAssistant();

        ConfigMap config = configMap("default");
        String botsYaml = config.getData().get("bots.yaml");
        assertThat(botsYaml).contains("kind: LLMProvider", "name: openai", "kind: LLMBot", "name: assistant",
                "systemPrompt: Be helpful.").doesNotContain("status", OPENAI_KEY, ACCESS_KEY);
        assertThat(config.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "botfleet")
                .containsEntry("botfleet.dev/runtime", "default");
        assertThat(config.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(owner -> assertThat(owner.getName()).isEqualTo("assistant"));

        PodSpec pod = deployment("default").getSpec().getTemplate().getSpec();
        Container runtime = pod.getContainers().get(0);
        assertThat(runtime.getImage()).isEqualTo(OperatorSettings.DEFAULT_RUNTIME_IMAGE);
        assertThat(runtime.getArgs()).contains("--manifests=/etc/botfleet/config", "--secrets-dir=/etc/botfleet/secrets");
        assertThat(runtime.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(runtime.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(runtime.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
        assertThat(runtime.getArgs()).contains("--botfleet.list-bots=false", "--management.server.port=8081");
        assertThat(runtime.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/liveness");
        assertThat(runtime.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/readiness");
        assertThat(runtime.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("management");
        Volume configVolume = pod.getVolumes().stream().filter(v -> v.getName().equals("config")).findFirst().orElseThrow();
        assertThat(configVolume.getConfigMap().getName()).isEqualTo("botfleet-default");
        assertThat(runtime.getVolumeMounts()).noneSatisfy(m -> assertThat(m.getSubPath()).isNotNull());
        assertThat(pod.getVolumes()).filteredOn(v -> v.getSecret() != null)
                .extracting(v -> v.getSecret().getSecretName() + ":" + v.getSecret().getItems().get(0).getKey())
                .containsExactlyInAnyOrder("openai:api-key", "poe-assistant:access-key");
        assertThat(runtime.getVolumeMounts()).extracting(m -> m.getMountPath())
                .contains("/etc/botfleet/secrets/openai", "/etc/botfleet/secrets/poe-assistant");

        assertThat(service("default").getSpec().getPorts()).extracting(port -> port.getName() + ":" + port.getPort())
                .containsExactly("http:80", "management:8081");

        awaitBot("assistant", "RuntimeNotAvailable");
        LLMBot bot = getBot("assistant");
        assertThat(bot.getStatus().getEndpoint()).isEqualTo("http://botfleet-default.team-a.svc/bots/assistant");
        assertThat(bot.getStatus().getRuntime()).isEqualTo("default");
        assertThat(bot.getStatus().getObservedGeneration()).isEqualTo(bot.getMetadata().getGeneration());
        await().atMost(Duration.ofSeconds(10)).until(() -> "Ready".equals(ready(getProvider("openai")).reason()));

        markAvailable("default");
        awaitBot("assistant", "Ready");
        assertThat(ready(getBot("assistant")).status()).isEqualTo("True");
    }

    @Test
    void aBotChangeUpdatesTheConfigMapButNotThePodTemplate() {
        openaiWithAssistant();
        Deployment before = deployment("default");

        LLMBot bot = getBot("assistant");
        bot.getSpec().setSystemPrompt("Be terse.");
        client.resource(bot).update();

        await().atMost(Duration.ofSeconds(10)).until(() ->
                configMap("default").getData().get("bots.yaml").contains("systemPrompt: Be terse."));
        assertThat(deployment("default").getSpec().getTemplate()).isEqualTo(before.getSpec().getTemplate());
        assertThat(deployment("default").getMetadata().getResourceVersion())
                .isEqualTo(before.getMetadata().getResourceVersion());
    }

    @Test
    void aNewSecretReferenceChangesThePodTemplate() {
        openaiWithAssistant();
        String hashBefore = DesiredHash.of(deployment("default"));

        secret("poe-helper", Map.of("access-key", "another-access-key"));
        bot("helper", "openai", "default", "accessKeySecretRef: {name: poe-helper, key: access-key}");

        await().atMost(Duration.ofSeconds(10)).until(() -> !hashBefore.equals(DesiredHash.of(deployment("default"))));
        assertThat(deployment("default").getSpec().getTemplate().getSpec().getVolumes())
                .anySatisfy(v -> assertThat(v.getSecret() == null ? null : v.getSecret().getSecretName())
                        .isEqualTo("poe-helper"));
    }

    @Test
    void twoGroupsInOneNamespaceGetTheirOwnObjects() {
        openaiWithAssistant();
        bot("researcher", "openai", "research", "");

        await().atMost(Duration.ofSeconds(10)).until(() -> deployment("research") != null);
        assertThat(configMap("research").getData().get("bots.yaml")).contains("name: researcher")
                .doesNotContain("name: assistant");
        assertThat(configMap("default").getData().get("bots.yaml")).doesNotContain("researcher");
        assertThat(deployment("research").getSpec().getTemplate().getSpec().getVolumes())
                .filteredOn(v -> v.getSecret() != null).extracting(v -> v.getSecret().getSecretName())
                .containsExactly("openai");
        awaitBot("researcher", "RuntimeNotAvailable");
        assertThat(getBot("researcher").getStatus().getEndpoint())
                .isEqualTo("http://botfleet-research.team-a.svc/bots/researcher");
    }

    @Test
    void theLastBotOfAGroupTakesTheGroupWithIt() {
        openaiWithAssistant();
        bot("researcher", "openai", "research", "");
        await().atMost(Duration.ofSeconds(10)).until(() -> deployment("research") != null);

        client.resource(getBot("researcher")).delete();

        await().atMost(Duration.ofSeconds(10)).until(() ->
                configMap("research") == null && deployment("research") == null && service("research") == null);
        assertThat(deployment("default")).isNotNull();
        await().atMost(Duration.ofSeconds(10)).until(() -> runtime("research") == null);
        assertThat(runtime("default")).isNotNull();
    }

    @Test
    void aGroupWithoutABotRuntimeGetsAnEmptyOneMadeForItsBots() {
        openaiWithAssistant();

        BotRuntime made = runtime("default");
        assertThat(made.getMetadata().getLabels()).containsEntry(DefaultRuntimes.MADE_FOR_BOTS, "true")
                .containsEntry(RuntimeGroup.MANAGED_BY, RuntimeGroup.OPERATOR);
        assertThat(Serialization.asJson(made.getSpec())).isEqualTo("{}");
        await().atMost(Duration.ofSeconds(10)).until(() -> runtime("default").getStatus() != null
                && runtime("default").getStatus().getBots().equals(List.of("assistant")));
    }

    @Test
    void aBotRuntimeSomeoneAppliedOutlivesTheGroupsBots() {
        openaiWithAssistant();
        runtimeSpec("default", "{replicas: 2}");
        await().atMost(Duration.ofSeconds(10)).until(() -> deployment("default").getSpec().getReplicas() == 2);

        client.resource(getBot("assistant")).delete();

        await().atMost(Duration.ofSeconds(10)).until(() -> deployment("default") == null
                && runtime("default").getStatus().getBotCount() == 0);
        assertThat(runtime("default").getSpec().getReplicas()).isEqualTo(2);
    }

    @Test
    void aDeletedBotRuntimeIsMadeAgainWhileBotsUseTheGroupAndItsObjectsStay() {
        openaiWithAssistant();
        runtimeSpec("default", "{replicas: 2}");
        await().atMost(Duration.ofSeconds(10)).until(() -> deployment("default").getSpec().getReplicas() == 2);
        String deploymentUid = deployment("default").getMetadata().getUid();

        client.resource(runtime("default")).delete();

        await().atMost(Duration.ofSeconds(10)).until(() -> runtime("default") != null
                && "true".equals(runtime("default").getMetadata().getLabels().get(DefaultRuntimes.MADE_FOR_BOTS))
                && deployment("default").getSpec().getReplicas() == 1);
        assertThat(deployment("default").getMetadata().getUid()).isEqualTo(deploymentUid);
    }

    @Test
    void aBotThatMovesToAnotherGroupLeavesTheOldOne() {
        openaiWithAssistant();
        bot("helper", "openai", "default", "");
        await().atMost(Duration.ofSeconds(10)).until(() ->
                configMap("default").getData().get("bots.yaml").contains("name: helper"));

        LLMBot helper = getBot("helper");
        helper.getSpec().setRuntime("side");
        client.resource(helper).update();

        await().atMost(Duration.ofSeconds(10)).until(() -> configMap("side") != null
                && configMap("side").getData().get("bots.yaml").contains("name: helper")
                && !configMap("default").getData().get("bots.yaml").contains("name: helper"));
        awaitBot("helper", "RuntimeNotAvailable");
        assertThat(getBot("helper").getStatus().getRuntime()).isEqualTo("side");
    }

    @Test
    void aDeletedBotLeavesTheGroupConfigMap() {
        openaiWithAssistant();
        bot("helper", "openai", "default", "");
        await().atMost(Duration.ofSeconds(10)).until(() ->
                configMap("default").getData().get("bots.yaml").contains("name: helper"));

        client.resource(getBot("helper")).delete();

        await().atMost(Duration.ofSeconds(10)).until(() ->
                !configMap("default").getData().get("bots.yaml").contains("name: helper"));
        assertThat(configMap("default").getData().get("bots.yaml")).contains("name: assistant");
    }
}
