package dev.botfleet.e2e;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Hand edits of what the operator owns in a group's Deployment, made with kubectl as a user would on the real API
 * server, are put back; once they are, the operator writes nothing more.
 */
class DriftIT {

    private static final Duration QUIET = Duration.ofSeconds(10);

    private static ControlPlane cluster;
    private static KubernetesClient client;
    private static OperatorProcess operator;

    @BeforeAll
    static void startOperator() {
        cluster = ControlPlane.get();
        client = cluster.admin();
        operator = Release.clusterWide().startOperator("drift");
    }

    @AfterAll
    static void stopOperator() {
        operator.close();
    }

    private static Container runtime(String namespace) {
        return deployment(namespace).getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    private static Deployment deployment(String namespace) {
        return client.apps().deployments().inNamespace(namespace).withName("botfleet-default").require();
    }

    @Test
    void anEditedImageAnEditedArgumentAndAHandScaledDeploymentArePutBack() {
        String namespace = Namespaces.create(client, "drift");
        cluster.apply(namespace, """
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {name: steady}
                spec: {handler: echo}
                """);
        Bots.awaitReason(client, namespace, "steady", "Ready");
        String image = runtime(namespace).getImage();
        List<String> arguments = runtime(namespace).getArgs();

        cluster.kubectl("-n", namespace, "set", "image", "deployment/botfleet-default",
                "bot-runtime=registry.example.com/someone-else:1").run().orFail();
        cluster.kubectl("-n", namespace, "patch", "deployment", "botfleet-default", "--type=json", "-p",
                "[{\"op\": \"add\", \"path\": \"/spec/template/spec/containers/0/args/-\", "
                        + "\"value\": \"--botfleet.list-bots=true\"}]").run().orFail();
        cluster.kubectl("-n", namespace, "scale", "deployment/botfleet-default", "--replicas=0").run().orFail();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(runtime(namespace).getImage()).isEqualTo(image);
            assertThat(runtime(namespace).getArgs()).isEqualTo(arguments);
            assertThat(deployment(namespace).getSpec().getReplicas()).isEqualTo(1);
        });

        Instant repaired = Instant.now();
        await().pollDelay(QUIET).atMost(QUIET.plusSeconds(1)).until(() -> true);
        AuditLog audit = new AuditLog(cluster.auditLog());
        assertThat(audit.writesBy(operator.credentialId(), repaired.plusSeconds(2)).stream()
                .filter(write -> namespace.equals(write.namespace()) && "deployments".equals(write.resource())))
                .as("writes to the repaired Deployment once it was put back").isEmpty();
    }
}
