package dev.botfleet.operator;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentSpec;
import io.fabric8.kubernetes.api.model.apps.DeploymentSpecBuilder;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class GroupWorkloadTest {

    private static DeploymentSpec spec(Map<String, String> labels) {
        return new DeploymentSpecBuilder().withNewSelector().withMatchLabels(labels).endSelector()
                .withNewTemplate().withMetadata(new ObjectMetaBuilder().withLabels(labels).build()).endTemplate()
                .build();
    }

    private static Deployment render(Map<String, String> variables) {
        OperatorSettings settings = OperatorTestBase.settingsForMock(variables);
        ConfigMap owner = new ConfigMapBuilder().withNewMetadata().withName("botfleet-default").withUid("u-1")
                .endMetadata().build();
        owner.setApiVersion("v1");
        return GroupWorkload.deployment(new RuntimeGroup("team-a", "default"), new TreeMap<>(), settings, owner,
                Optional.empty());
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

    @Test
    void plainLogsAndNoPullSecretsByDefault() {
        PodSpec pod = render(Map.of()).getSpec().getTemplate().getSpec();
        assertThat(pod.getImagePullSecrets()).isEmpty();
        assertThat(pod.getContainers().get(0).getEnv()).noneSatisfy(env ->
                assertThat(env.getName()).isEqualTo("LOGGING_STRUCTURED_FORMAT_CONSOLE"));
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

        assertThat(GroupWorkload.canonicalJson(spec(oneOrder))).isEqualTo(GroupWorkload.canonicalJson(spec(otherOrder)));
    }
}
