package dev.botfleet.e2e;

import dev.botfleet.testing.FakeOpenAiServer;
import dev.botfleet.testing.RuntimeProcess;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The runtime image ({@link Images}) run by a real container runtime,
 * podman with runc, with the pod spec the operator renders for a runtime group on the real API server: the image
 * starts, passes its readiness probe, serves the group's bots from the ConfigMap projected into it, under the
 * Deployment's security context and memory limit.
 */
@Order(6)
class ImagesIT {

    private static final Pattern LOADED = Pattern.compile("Loaded image(?:\\(s\\))?: (\\S+)");

    private static Path podman;
    private static String runtimeImage;
    private static ControlPlane cluster;
    private static KubernetesClient client;
    private static Release release;

    @BeforeAll
    static void loadImages() throws IOException {
        podman = Path.of(Images.script("engine"));
        Images images = Images.built();
        runtimeImage = loaded(PodmanPod.load(podman, images.runtime()));
        release = Release.clusterWide();
        cluster = ControlPlane.get();
        client = cluster.admin();
    }

    @Test
    void theRuntimeImageServesTheGroupUnderTheDeploymentsSecurityContextAndMemoryLimit() throws Exception {
        try (OperatorProcess operator = release.startOperator("images", Map.of("BOTFLEET_RUNTIME_IMAGE",
                runtimeImage), OperatorProcess.TEST_JVM)) {
            runtimeServes(Namespaces.create(client, "images"));
        }
    }

    /**
     * The custom-bot example's image, built by docs/handlers.md's second command onto the runtime image: the group
     * of examples/custom-bot/bots.yaml runs it, and its bot answers through the handler the image adds.
     */
    @Test
    void theCustomBotImageAnswersThroughTheHandlerItAdds() throws Exception {
        String customImage = loaded(PodmanPod.load(podman, Images.built().customBot()));
        String namespace = Namespaces.create(client, "custom-image");
        try (OperatorProcess operator = release.startOperator("custom-image", Map.of(), OperatorProcess.TEST_JVM);
             FakeOpenAiServer upstream = new FakeOpenAiServer()) {
            String example = Files.readString(ControlPlane.REPO.resolve("examples/custom-bot/bots.yaml"))
                    .replaceAll("image: \\S+", "image: " + customImage);
            cluster.apply(namespace, """
                    apiVersion: v1
                    kind: Secret
                    metadata: {name: openai}
                    stringData: {api-key: sk-custom-image}
                    ---
                    apiVersion: botfleet.dev/v1alpha1
                    kind: LLMProvider
                    metadata: {name: openai}
                    spec: {baseUrl: '%s', defaultModel: fake-model, apiKeySecretRef: {name: openai, key: api-key}}
                    ---
                    """.formatted(upstream.baseUrl()) + example);
            Bots.awaitReason(client, namespace, "support-desk", "Ready");
            Deployment deployment = client.apps().deployments().inNamespace(namespace).withName("botfleet-support")
                    .require();
            KubeletStandIn kubelet = new KubeletStandIn(client, namespace, "botfleet-support",
                    Files.createDirectories(ControlPlane.WORK.resolve("images").resolve(namespace)));
            kubelet.sync();
            Map<String, Integer> ports = Map.of("http", RuntimeProcess.freePort(),
                    "management", RuntimeProcess.freePort());
            try (PodmanPod pod = PodmanPod.start(podman, deployment, kubelet.root(), ports)) {
                await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                        .until(() -> PoeQuery.status(pod.port("http"), "support-desk", null) == 200 || !pod.running());
                assertThat(pod.running()).as("the container still runs; its log:\n%s", pod.logs()).isTrue();
                assertThat(PoeQuery.answer(pod.port("http"), "support-desk", null, "write to me at ann@example.com"))
                        .contains("The support team (this answer was written by an AI model)");
                assertThat(upstream.lastRequest().messages().toString()).as("the handler redacts e-mail addresses")
                        .doesNotContain("ann@example.com");
            }
        }
    }

    private static void runtimeServes(String namespace) throws Exception {
        cluster.apply(namespace, ControlPlane.guardedEchoBot("echo", "poe-images-key"));
        Bots.awaitReason(client, namespace, "echo", "Ready");
        Deployment deployment = client.apps().deployments().inNamespace(namespace).withName("botfleet-default")
                .require();
        assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                .isEqualTo(runtimeImage);

        KubeletStandIn kubelet = new KubeletStandIn(client, namespace, "botfleet-default",
                Files.createDirectories(ControlPlane.WORK.resolve("images").resolve(namespace)));
        assertThat(kubelet.sync()).isTrue();
        Map<String, Integer> ports = Map.of("http", RuntimeProcess.freePort(),
                "management", RuntimeProcess.freePort());
        try (PodmanPod pod = PodmanPod.start(podman, deployment, kubelet.root(), ports)) {
            HTTPGetAction readiness = deployment.getSpec().getTemplate().getSpec().getContainers().get(0)
                    .getReadinessProbe().getHttpGet();
            String probe = "http://127.0.0.1:" + pod.port(readiness.getPort().getStrVal()) + readiness.getPath();
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                    .until(() -> pod.running() && status(probe) == 200 || !pod.running());
            assertThat(pod.running()).as("the container still runs; its log:\n%s", pod.logs()).isTrue();

            assertThat(PoeQuery.answer(pod.port("http"), "echo", "poe-images-key", "hello from a container")).contains("event: text", "hello from a container",
                    "event: done");
            assertThat(PoeQuery.status(pod.port("http"), "echo", "wrong-key")).isEqualTo(401);

            String status = pod.exec("cat", "/proc/1/status").orFail().out();
            assertThat(status).containsPattern("Uid:\\s+65532\\s+65532").containsPattern("Gid:\\s+65532\\s+65532")
                    .containsPattern("CapEff:\\s+0000000000000000").containsPattern("NoNewPrivs:\\s+1")
                    .containsPattern("Seccomp:\\s+2");
            assertThat(pod.exec("touch", "/app/written").succeeded()).as("the root file system is read-only")
                    .isFalse();
            assertThat(pod.exec("touch", "/tmp/written").succeeded()).as("/tmp is the pod's emptyDir").isTrue();

            Quantity memory = deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getResources()
                    .getLimits().get("memory");
            double limit = memory.getNumericalAmount().doubleValue();
            double heap = heapMax(pod);
            assertThat(heap).as("the JVM's heap, three quarters of the container's memory limit")
                    .isBetween(0.65 * limit, 0.76 * limit);

            // A bot added in the cluster reaches the container by the projected ConfigMap, without a restart.
            cluster.apply(namespace, ControlPlane.echoBot("second"));
            Bots.awaitReason(client, namespace, "second", "Ready");
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                kubelet.sync();
                return PoeQuery.status(pod.port("http"), "second", null) == 200;
            });
            Images.figure("runtime image: started and ready under podman with runc");
        }
    }

    private static double heapMax(PodmanPod pod) throws Exception {
        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + pod.port("management") + "/actuator/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher heap = Pattern.compile("jvm_memory_max_bytes\\{[^}]*area=\"heap\"[^}]*} (\\S+)").matcher(metrics);
        double total = 0;
        while (heap.find()) {
            total += Math.max(0, Double.parseDouble(heap.group(1)));
        }
        return total;
    }

    private static int status(String url) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }






    private static String loaded(String podmanLoadOutput) {
        Matcher name = LOADED.matcher(podmanLoadOutput);
        assertThat(name.find()).as(podmanLoadOutput).isTrue();
        return name.group(1);
    }

}
