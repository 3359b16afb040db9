package dev.botfleet.e2e;

import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/getting-started.md, steps 3 and 4, command by command on the control plane (step 2 is the shared
 * release's helm install; images cannot be pulled under kwok, so step 1 is left out).
 */
@Order(4)
class WalkthroughIT {

    private final ControlPlane cluster = ControlPlane.get();
    private final KubernetesClient client = cluster.admin();

    private Command.Result kubectl(String... arguments) {
        return cluster.kubectl(arguments).withTimeout(Duration.ofMinutes(6)).run();
    }

    @Test
    void theWalkthroughEndsWithReadyBots() {
        try (OperatorProcess operator = Release.clusterWide().startOperator("walkthrough")) {
            Command.Result namespace = kubectl("create", "namespace", "team-a");
            assertThat(namespace.succeeded() || namespace.err().contains("AlreadyExists")).as(namespace.toString())
                    .isTrue();
            kubectl("-n", "team-a", "create", "secret", "generic", "openai", "--from-literal=api-key=sk-walkthrough")
                    .orFail();
            kubectl("-n", "team-a", "label", "secret", "openai", "botfleet.dev/watch=true").orFail();
            kubectl("-n", "team-a", "apply", "-f", ControlPlane.REPO.resolve("examples/quickstart.yaml").toString())
                    .orFail();
            kubectl("-n", "team-a", "wait", "--for=condition=Ready", "llmbot/echo", "llmbot/assistant",
                    "llmbot/tunable", "--timeout=5m").orFail();
            assertThat(kubectl("-n", "team-a", "get", "llmbots").orFail().out()).contains("assistant", "echo",
                    "tunable");
            assertThat(kubectl("-n", "team-a", "get", "secret", "openai", "-o", "jsonpath={.data.api-key}")
                    .orFail().out()).as("the stored key, untouched by the quickstart")
                    .isEqualTo(java.util.Base64.getEncoder().encodeToString("sk-walkthrough".getBytes()));

            kubectl("-n", "team-a", "create", "secret", "generic", "poe-assistant",
                    "--from-literal=access-key=poe-walkthrough").orFail();
            kubectl("-n", "team-a", "label", "secret", "poe-assistant", "botfleet.dev/watch=true").orFail();
            kubectl("-n", "team-a", "patch", "llmbot", "assistant", "--type", "merge", "-p",
                    "{\"spec\":{\"accessKeySecretRef\":{\"name\":\"poe-assistant\",\"key\":\"access-key\"}}}").orFail();
            kubectl("-n", "team-a", "wait", "--for=condition=Ready", "llmbot/assistant", "--timeout=5m").orFail();
            assertThat(client.apps().deployments().inNamespace("team-a").withName("botfleet-default").require()
                    .getSpec().getTemplate().getSpec().getVolumes())
                    .anySatisfy(volume -> assertThat(volume.getSecret() == null ? null
                            : volume.getSecret().getSecretName()).isEqualTo("poe-assistant"));
            kubectl("apply", "-f", ControlPlane.REPO.resolve("examples/ingress.yaml").toString()).orFail();
        }
    }
}
