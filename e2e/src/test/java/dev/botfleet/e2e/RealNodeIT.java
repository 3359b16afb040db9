package dev.botfleet.e2e;

import dev.botfleet.testing.RuntimeProcess;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What only a kubelet shows, on the control plane's real Node (a kubelet on containerd, {@link RealNode}): a runtime
 * group's pod spec, as the operator renders it, started from the node's image store, passing the kubelet's probes,
 * serving from the ConfigMap the kubelet itself projects and following a change of it, and stopping through its
 * preStop sleep; and the operator as a pod of its image with the chart's ServiceAccount, on the token the kubelet
 * mounts. The pods share the host's network (there is no pod network), so their ports are moved to free ones.
 */
@Order(7)
class RealNodeIT {

    private static final RealNode NODE = new RealNode();

    private static ControlPlane cluster;
    private static KubernetesClient client;
    private static Release release;
    private static String runtimeImage;
    private static String operatorImage;

    @BeforeAll
    static void loadImages() throws IOException {
        Images images = Images.built();
        release = Release.clusterWide();
        cluster = ControlPlane.get();
        client = cluster.admin();
        runtimeImage = NODE.load(images.runtime());
        operatorImage = NODE.load(images.operator());
    }

    @Test
    void aRuntimeGroupRunsOnAKubeletFromItsProjectedConfigMapAndStopsThroughItsPreStop() throws Exception {
        String namespace = Namespaces.create(client, "real-node");
        try (OperatorProcess operator = release.startOperator("real-node", Map.of("BOTFLEET_RUNTIME_IMAGE",
                runtimeImage), OperatorProcess.TEST_JVM)) {
            cluster.apply(namespace, ControlPlane.guardedEchoBot("echo", "poe-node-key"));
            Bots.awaitReason(client, namespace, "echo", "Ready");
            Deployment group = client.apps().deployments().inNamespace(namespace).withName("botfleet-default")
                    .require();
            int http = RuntimeProcess.freePort();
            Deployment copy = client.resource(RealNode.copyOf(group, runtimeImage,
                    Map.of("http", http, "management", RuntimeProcess.freePort()), Map.of())).create();
            Instant created = Instant.now();
            Pod pod = awaitReadyPod(copy);
            Images.figure("runtime pod on the real node: Ready " + Duration.between(created, Instant.now()).toSeconds()
                    + " s after the Deployment was created");
            assertThat(pod.getSpec().getNodeName()).isEqualTo("real-node");
            assertThat(pod.getStatus().getContainerStatuses()).singleElement()
                    .satisfies(status -> assertThat(status.getRestartCount()).isZero());
            assertThat(PoeQuery.answer(http, "echo", "poe-node-key", "hello from a kubelet"))
                    .contains("event: text", "hello from a kubelet");
            String container = pod.getStatus().getContainerStatuses().get(0).getContainerID();
            assertThat(NODE.processStatus(container)).as("the Deployment's security context, as the kernel applies it")
                    .containsPattern("Uid:\\s+65532\\s+65532").containsPattern("CapEff:\\s+0000000000000000")
                    .containsPattern("NoNewPrivs:\\s+1").containsPattern("Seccomp:\\s+2");
            assertThat(NODE.memoryLimit(container)).as("the Deployment's memory limit, as the container's cgroup")
                    .isEqualTo(group.getSpec().getTemplate().getSpec().getContainers().get(0).getResources()
                            .getLimits().get("memory").getNumericalAmount().longValueExact());
            assertThat(NODE.configMapVolume(pod.getMetadata().getUid(), "config").resolve("..data"))
                    .as("the kubelet's own projection of the group's ConfigMap").isSymbolicLink();
            assertThat(NODE.log(namespace, copy.getMetadata().getName()))
                    .as("the JVM options of the operator's Deployment, as the container got them")
                    .contains("Picked up JAVA_TOOL_OPTIONS: -XX:+UseSerialGC");

            // A bot added in the cluster: the kubelet projects the new ConfigMap, the runtime serves it.
            cluster.apply(namespace, ControlPlane.echoBot("second"));
            Bots.awaitReason(client, namespace, "second", "Ready");
            Instant changed = Instant.now();
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> PoeQuery.status(http, "second", null) == 200);
            Images.figure("ConfigMap change projected by the kubelet and served: "
                    + Duration.between(changed, Instant.now()).toSeconds() + " s");

            // A rollout stops the pod as a node does: the preStop sleep, then SIGTERM and the drain.
            long preStop = pod.getSpec().getContainers().get(0).getLifecycle().getPreStop().getSleep().getSeconds();
            Instant rolled = Instant.now();
            cluster.kubectl("rollout", "restart", "deployment/" + copy.getMetadata().getName(), "-n", namespace)
                    .run().orFail();
            await().atMost(Duration.ofMinutes(2)).until(() -> client.pods().inNamespace(namespace)
                    .withName(pod.getMetadata().getName()).get() == null);
            assertThat(Duration.between(rolled, Instant.now())).as("the old pod stopped after its preStop sleep")
                    .isGreaterThanOrEqualTo(Duration.ofSeconds(preStop));
            Pod replaced = awaitReadyPod(copy);
            assertThat(replaced.getMetadata().getName()).isNotEqualTo(pod.getMetadata().getName());
            assertThat(PoeQuery.answer(http, "second", null, "hello again")).contains("event: done");
        } finally {
            client.apps().deployments().inNamespace(namespace).withName("botfleet-default-real").delete();
        }
    }

    @Test
    void theOperatorRunsAsAPodOfItsImageOnTheTokenTheKubeletMounts() throws Exception {
        Deployment chart = client.apps().deployments().inNamespace(release.namespace()).withName(release.fullname())
                .require();
        assertThat(Images.repository(chart.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()))
                .isEqualTo(Images.repository(operatorImage));
        int health = RuntimeProcess.freePort();
        // The kubernetes Service's address is not reachable without a pod network; the API server's own is.
        Map<String, String> environment = Map.of("BOTFLEET_HEALTH_PORT", String.valueOf(health),
                "KUBERNETES_SERVICE_HOST", cluster.server().getHost(),
                "KUBERNETES_SERVICE_PORT", String.valueOf(cluster.server().getPort()));
        Deployment copy = client.resource(RealNode.copyOf(chart, operatorImage, Map.of("health", health),
                environment)).create();
        try {
            Instant started = Instant.now();
            Pod pod = awaitReadyPod(copy);
            String namespace = Namespaces.create(client, "operator-pod");
            cluster.apply(namespace, ControlPlane.echoBot("reconciled"));
            Bots.awaitReason(client, namespace, "reconciled", "Ready");
            List<AuditLog.Request> writes = new AuditLog(cluster.auditLog()).requests(request -> request.isWrite()
                    && request.received().isAfter(started) && request.podName().equals(pod.getMetadata().getName()));
            assertThat(writes).as("writes made with the token the kubelet mounted into the operator's pod")
                    .anySatisfy(write -> assertThat(write.resource() + " " + write.namespace() + "/" + write.name())
                            .isEqualTo("llmbots/status " + namespace + "/reconciled"));
            assertThat(writes).allSatisfy(write -> assertThat(write.username())
                    .isEqualTo("system:serviceaccount:" + release.namespace() + ":" + release.fullname()));
        } finally {
            client.resource(copy).delete();
        }
    }

    private static Pod awaitReadyPod(Deployment deployment) {
        return await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).until(() -> client.pods()
                .inNamespace(deployment.getMetadata().getNamespace())
                .withLabels(deployment.getSpec().getSelector().getMatchLabels()).list().getItems().stream()
                .filter(pod -> pod.getMetadata().getDeletionTimestamp() == null)
                .filter(pod -> pod.getStatus().getConditions().stream()
                        .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True")))
                .findFirst().orElse(null), java.util.Objects::nonNull);
    }



}
