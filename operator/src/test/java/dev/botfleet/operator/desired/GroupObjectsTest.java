package dev.botfleet.operator.desired;

import dev.botfleet.api.BotRuntimeSpec;
import dev.botfleet.api.GroupConfig;
import dev.botfleet.api.LLMBot;
import dev.botfleet.api.LLMProvider;
import dev.botfleet.operator.OperatorSettings;
import dev.botfleet.operator.OperatorTestBase;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentSpec;
import io.fabric8.kubernetes.api.model.apps.DeploymentSpecBuilder;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class GroupObjectsTest {

    private static DeploymentSpec spec(Map<String, String> labels) {
        return new DeploymentSpecBuilder().withNewSelector().withMatchLabels(labels).endSelector()
                .withNewTemplate().withMetadata(new ObjectMetaBuilder().withLabels(labels).build()).endTemplate()
                .build();
    }

    /** A group's ConfigMap as the owner of its other objects. */
    static ConfigMap owner(String name) {
        ConfigMap owner = new ConfigMapBuilder().withNewMetadata().withName(name).withUid("u-1").endMetadata().build();
        owner.setApiVersion("v1");
        return owner;
    }

    private static Deployment render(Map<String, String> variables) {
        OperatorSettings settings = OperatorTestBase.settingsForMock(variables);
        ConfigMap owner = owner("botfleet-default");
        return GroupDeployment.deployment(new RuntimeGroup("team-a", "default"), new TreeMap<>(), settings, owner,
                Optional.empty(), Duration.ofMinutes(2));
    }

    @Test
    void operatorWidePullSecretsAndLogFormatReachTheRuntimePods() {
        Deployment deployment = render(Map.of("BOTFLEET_RUNTIME_IMAGE_PULL_SECRETS", "regcred, mirror",
                "BOTFLEET_RUNTIME_LOG_FORMAT", "ecs"));
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();

        assertThat(pod.getImagePullSecrets()).extracting(LocalObjectReference::getName)
                .containsExactly("regcred", "mirror");
        assertThat(pod.getContainers().get(0).getEnv())
                .anySatisfy(env -> {
                    assertThat(env.getName()).isEqualTo("LOGGING_STRUCTURED_FORMAT_CONSOLE");
                    assertThat(env.getValue()).isEqualTo("ecs");
                });
    }

    /** Priced bots charge through the Poe API the operator talks to; Poe's own adds nothing to the pods. */
    @Test
    void anotherPoeApiReachesTheRuntimeAndPoesOwnChangesNothing() {
        assertThat(render(Map.of()).getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
                .noneMatch(argument -> argument.startsWith("--botfleet.poe-api-url"));
        assertThat(render(Map.of("BOTFLEET_POE_API_URL", "http://poe-fake.test:8080/bot/")).getSpec().getTemplate()
                .getSpec().getContainers().get(0).getArgs()).contains("--botfleet.poe-api-url=http://poe-fake.test:8080/bot/");
    }

    /** The group's Redis: the BotRuntime's or the operator's; its password from the Secret, never in the pod spec. */
    @Test
    void aGroupsRedisReachesTheRuntimeWithThePasswordFromItsSecret() {
        assertThat(render(Map.of()).getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
                .noneMatch(argument -> argument.startsWith("--botfleet.redis"));
        var runtime = render(Map.of("BOTFLEET_REDIS",
                "{\"url\":\"rediss://redis.shared:6380\",\"passwordSecretRef\":{\"name\":\"redis\",\"key\":\"pw\"}}"))
                .getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(runtime.getArgs()).contains("--botfleet.redis.url=rediss://redis.shared:6380",
                "--botfleet.redis.key-prefix=botfleet:team-a").noneMatch(a -> a.startsWith("--botfleet.redis.on"));
        assertThat(runtime.getEnv()).anySatisfy(env -> {
            assertThat(env.getName()).isEqualTo("BOTFLEET_REDIS_PASSWORD");
            assertThat(env.getValue()).isNull();
            assertThat(env.getValueFrom().getSecretKeyRef().getName()).isEqualTo("redis");
            assertThat(env.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("pw");
        });

        BotRuntimeSpec custom = yaml("redis: {url: 'redis://bots@redis-b:6379/3', onFailure: closed}",
                BotRuntimeSpec.class);
        var own = GroupDeployment.deployment(new RuntimeGroup("team-a", "default"), new TreeMap<>(),
                OperatorTestBase.settingsForMock(Map.of("BOTFLEET_REDIS", "{\"url\":\"redis://other:6379\"}")),
                owner("botfleet-default"), Optional.of(custom), Duration.ofMinutes(2))
                .getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(own.getArgs()).contains("--botfleet.redis.url=redis://bots@redis-b:6379/3",
                "--botfleet.redis.on-failure=closed").doesNotContain("--botfleet.redis.url=redis://other:6379");
        assertThat(own.getEnv()).noneMatch(env -> env.getName().equals("BOTFLEET_REDIS_PASSWORD"));
    }

    private static <T> T yaml(String text, Class<T> type) {
        return io.fabric8.kubernetes.client.utils.Serialization.unmarshal(text, type);
    }

    @Test
    void theConfigMapHoldsTheGroupsDocumentsAndIsOwnedByEachBot() {
        LLMBot one = yaml("""
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {name: one, namespace: team-a, uid: u-one}
                spec: {handler: echo}
                """, LLMBot.class);
        LLMBot two = yaml("""
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {name: two, namespace: team-a, uid: u-two}
                spec: {handler: echo}
                """, LLMBot.class);
        GroupConfig config = GroupConfig.render(List.of(one, two), name -> Optional.empty());

        ConfigMap map = GroupObjects.configMap(new RuntimeGroup("team-a", "default"), config, List.of(one, two));

        assertThat(map.getMetadata().getName()).isEqualTo("botfleet-default");
        assertThat(map.getMetadata().getNamespace()).isEqualTo("team-a");
        assertThat(map.getMetadata().getLabels()).containsEntry(RuntimeGroup.GROUP_LABEL, "default")
                .containsEntry(RuntimeGroup.MANAGED_BY, RuntimeGroup.OPERATOR);
        assertThat(map.getData()).containsOnlyKeys(RuntimeGroup.CONFIG_KEY);
        assertThat(map.getData().get(RuntimeGroup.CONFIG_KEY)).isEqualTo(config.yaml()).contains("name: one", "name: two");
        assertThat(map.getMetadata().getOwnerReferences()).extracting(o -> o.getKind() + "/" + o.getName() + "/"
                + o.getUid()).containsExactly("LLMBot/one/u-one", "LLMBot/two/u-two");
    }

    @Test
    void eachReferencedSecretKeyIsMountedOnceUnderTheSecretsDirectory() {
        LLMBot bot = yaml("""
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {name: b, namespace: team-a}
                spec: {providerRef: {name: p}, accessKeySecretRef: {name: poe, key: access-key}}
                """, LLMBot.class);
        LLMProvider provider = yaml("""
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMProvider
                metadata: {name: p, namespace: team-a}
                spec: {baseUrl: 'https://x/v1', defaultModel: m, apiKeySecretRef: {name: poe, key: api-key}}
                """, LLMProvider.class);
        SortedMap<String, SortedSet<String>> secrets = GroupDeployment.mountedSecrets(List.of(bot), List.of(provider));
        assertThat(secrets).containsOnlyKeys("poe");
        assertThat(secrets.get("poe")).containsExactly("access-key", "api-key");

        ConfigMap owner = owner("botfleet-default");
        Deployment deployment = GroupDeployment.deployment(new RuntimeGroup("team-a", "default"), secrets,
                OperatorTestBase.settingsForMock(Map.of()), owner, Optional.empty(), Duration.ofMinutes(2));
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        assertThat(pod.getVolumes()).filteredOn(v -> v.getSecret() != null).singleElement().satisfies(volume -> {
            assertThat(volume.getSecret().getSecretName()).isEqualTo("poe");
            assertThat(volume.getSecret().getOptional()).isTrue();
            assertThat(volume.getSecret().getItems()).extracting(KeyToPath::getKey, KeyToPath::getPath)
                    .containsExactly(tuple("access-key", "access-key"), tuple("api-key", "api-key"));
        });
        assertThat(pod.getContainers().get(0).getVolumeMounts())
                .anySatisfy(mount -> {
                    assertThat(mount.getMountPath()).isEqualTo(RuntimeTemplate.shipped().secretsDir() + "poe");
                    assertThat(mount.getReadOnly()).isTrue();
                });
        assertThat(RuntimeTemplate.shipped().secretsDir()).isEqualTo("/etc/botfleet/secrets/");
        assertThat(deployment.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(o -> assertThat(o.getName()).isEqualTo("botfleet-default"));
        assertThat(DesiredHash.of(deployment)).hasSize(32);
    }

    @Test
    void aBotRuntimeReplacesTheOperatorsDefaults() {
        BotRuntimeSpec custom = yaml("""
                apiVersion: botfleet.dev/v1alpha1
                kind: BotRuntime
                metadata: {name: default, namespace: team-a}
                spec:
                  image: registry.example.com/custom:1
                  replicas: 3
                  resources: {limits: {memory: 1Gi}}
                  nodeSelector: {pool: bots}
                  tolerations: [{key: dedicated, operator: Exists}]
                  podLabels: {team: a}
                  podAnnotations: {note: x}
                """, dev.botfleet.api.BotRuntime.class).getSpec();
        ConfigMap owner = owner("botfleet-default");
        Deployment deployment = GroupDeployment.deployment(new RuntimeGroup("team-a", "default"), new TreeMap<>(),
                OperatorTestBase.settingsForMock(Map.of()), owner, Optional.of(custom), Duration.ofMinutes(2));
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();

        assertThat(deployment.getSpec().getReplicas()).isEqualTo(3);
        assertThat(pod.getContainers().get(0).getImage()).isEqualTo("registry.example.com/custom:1");
        assertThat(pod.getContainers().get(0).getResources().getLimits().get("memory").toString()).isEqualTo("1Gi");
        assertThat(pod.getNodeSelector()).containsEntry("pool", "bots");
        assertThat(pod.getTolerations()).singleElement().satisfies(t -> assertThat(t.getKey()).isEqualTo("dedicated"));
        assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels()).containsEntry("team", "a")
                .containsEntry(RuntimeGroup.GROUP_LABEL, "default");
        assertThat(deployment.getSpec().getTemplate().getMetadata().getAnnotations()).containsEntry("note", "x");
        assertThat(deployment.getSpec().getSelector().getMatchLabels()).isEqualTo(new RuntimeGroup("team-a",
                "default").selector());
        assertThat(DesiredHash.of(deployment)).isNotEqualTo(DesiredHash.of(render(Map.of())));
    }

    @Test
    void theServiceRoutesThePoePortAndTheManagementPortToTheGroupsPods() {
        ConfigMap owner = owner("botfleet-default");
        io.fabric8.kubernetes.api.model.Service service = GroupObjects.service(new RuntimeGroup("team-a", "default"),
                owner);
        assertThat(service.getSpec().getSelector()).isEqualTo(new RuntimeGroup("team-a", "default").selector());
        assertThat(service.getSpec().getPorts()).extracting(port -> port.getName() + ":" + port.getPort() + "->"
                + port.getTargetPort().getStrVal()).containsExactly("http:80->http", "management:8081->management");
        assertThat(DesiredHash.of(service)).hasSize(32);
        assertThat(DesiredHash.of(new io.fabric8.kubernetes.api.model.ServiceBuilder().withNewMetadata()
                .withName("unannotated").endMetadata().build())).isNull();
    }

    @Test
    void plainLogsAndNoPullSecretsByDefault() {
        PodSpec pod = render(Map.of()).getSpec().getTemplate().getSpec();
        assertThat(pod.getImagePullSecrets()).isEmpty();
        assertThat(pod.getContainers().get(0).getEnv()).noneSatisfy(env ->
                assertThat(env.getName()).isEqualTo("LOGGING_STRUCTURED_FORMAT_CONSOLE"));
        assertThat(pod.getNodeSelector()).as("no empty node selector in the pod spec").isNull();
        assertThat(pod.getTolerations()).as("no empty toleration list in the pod spec").isNull();
    }

    /** Maps built with Map.of iterate in an order each JVM picks anew; the hash must not depend on it. */
    @Test
    void theDesiredSpecHashDoesNotDependOnTheOrderOfMapKeys() {
        Map<String, String> oneOrder = new LinkedHashMap<>();
        oneOrder.put("botfleet.dev/runtime", "default");
        oneOrder.put("app.kubernetes.io/name", "bot-runtime");
        Map<String, String> otherOrder = new LinkedHashMap<>();
        otherOrder.put("app.kubernetes.io/name", "bot-runtime");
        otherOrder.put("botfleet.dev/runtime", "default");

        assertThat(DesiredHash.canonicalJson(spec(oneOrder))).isEqualTo(DesiredHash.canonicalJson(spec(otherOrder)));
    }
}
