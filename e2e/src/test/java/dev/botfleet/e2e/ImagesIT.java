package dev.botfleet.e2e;

import dev.botfleet.testing.RuntimeProcess;
import io.fabric8.kubernetes.api.model.Container;
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
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * botfleet's own images, built by the images profile with the Jib configuration users get (only the base image
 * differs: one made from Debian's packages, as no registry is reachable here), and run by a real container runtime,
 * podman with runc, with the pod spec the operator renders for a runtime group on the real API server: the image
 * starts, passes its readiness probe, serves the group's bots from the ConfigMap projected into it, under the
 * Deployment's security context and memory limit.
 */
@Order(6)
class ImagesIT {

    private static final Pattern LOADED = Pattern.compile("Loaded image(?:\\(s\\))?: (\\S+)");

    private static Path podman;
    private static String runtimeImage;
    private static String operatorImage;
    private static ControlPlane cluster;
    private static KubernetesClient client;
    private static Release release;

    @BeforeAll
    static void buildImages() throws IOException {
        Path base = Path.of(images("base"));
        podman = Path.of(images("engine"));
        long started = System.nanoTime();
        Command.of(List.of(ControlPlane.REPO.resolve("mvnw").toString(), "-B", "-q", "-f",
                        ControlPlane.REPO.resolve("pom.xml").toString(), "-DskipTests", "-P", "images,!mutation",
                        "-Djib.base.image=tar://" + base, "-pl", "bot-runtime,operator", "-am", "package"))
                .withTimeout(Duration.ofMinutes(20)).run().orFail();
        figure("images built with Jib onto the Debian base: " + (System.nanoTime() - started) / 1_000_000_000 + " s");
        runtimeImage = loaded(PodmanPod.load(podman, ControlPlane.REPO.resolve("bot-runtime/target/bot-runtime-image.tar")));
        operatorImage = loaded(PodmanPod.load(podman, ControlPlane.REPO.resolve("operator/target/operator-image.tar")));
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

    private static void runtimeServes(String namespace) throws Exception {
        cluster.apply(namespace, """
                apiVersion: v1
                kind: Secret
                metadata: {name: poe}
                stringData: {access-key: poe-images-key}
                ---
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {name: echo}
                spec: {handler: echo, accessKeySecretRef: {name: poe, key: access-key}}
                """);
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
        try (PodmanPod pod = PodmanPod.start(podman, deployment, PodmanPod.Node.withoutApiServer(kubelet.root(), ports))) {
            HTTPGetAction readiness = deployment.getSpec().getTemplate().getSpec().getContainers().get(0)
                    .getReadinessProbe().getHttpGet();
            String probe = "http://127.0.0.1:" + pod.port(readiness.getPort().getStrVal()) + readiness.getPath();
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                    .until(() -> pod.running() && status(probe) == 200 || !pod.running());
            assertThat(pod.running()).as("the container still runs; its log:\n%s", pod.logs()).isTrue();

            assertThat(ask(pod, "echo", "poe-images-key")).contains("event: text", "hello from a container",
                    "event: done");
            assertThat(askStatus(pod, "echo", "wrong-key")).isEqualTo(401);

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
                return askStatus(pod, "second", null) == 200;
            });
            figure("runtime image: started and ready under podman with runc");
        }
    }

    /**
     * The operator image as the chart's Deployment runs it, with the in-cluster configuration a pod gets: the chart's
     * ServiceAccount token and CA where the kubelet mounts them, the API server as the kubernetes Service. The only
     * operator running, it reconciles a bot to Ready on the real API server.
     */
    @Test
    void theOperatorImageReconcilesInClusterOnTheChartsServiceAccount() throws Exception {
        Deployment chart = client.apps().deployments().inNamespace(release.namespace()).withName(release.fullname())
                .require();
        // As the walkthrough installs it: the chart's repository, the tag of the image built.
        Container container = chart.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(repository(container.getImage())).isEqualTo(repository(operatorImage));
        container.setImage(operatorImage);
        int health = RuntimeProcess.freePort();
        Path serviceAccount = cluster.serviceAccountVolume(release.namespace(), release.fullname());
        String credential = ControlPlane.credentialId(Files.readString(serviceAccount.resolve("token")));
        Instant started = Instant.now();
        PodmanPod.Node node = new PodmanPod.Node(ControlPlane.WORK, Map.of("health", health),
                Map.of("BOTFLEET_HEALTH_PORT", String.valueOf(health)), serviceAccount, cluster.server());
        try (PodmanPod pod = PodmanPod.start(podman, chart, node)) {
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                    .until(() -> status("http://127.0.0.1:" + health + "/readyz") == 200 || !pod.running());
            assertThat(pod.running()).as("the operator still runs; its log:\n%s", pod.logs()).isTrue();

            String namespace = Namespaces.create(client, "operator-image");
            cluster.apply(namespace, ControlPlane.echoBot("reconciled"));
            Bots.awaitReason(client, namespace, "reconciled", "Ready");
            assertThat(new AuditLog(cluster.auditLog()).writesBy(credential, started))
                    .as("the bot's status written with the token mounted into the container")
                    .anySatisfy(write -> assertThat(write.resource() + " " + write.name())
                            .isEqualTo("llmbots/status reconciled"));
            assertThat(pod.exec("cat", "/proc/1/status").orFail().out()).containsPattern("Uid:\\s+65532")
                    .containsPattern("CapEff:\\s+0000000000000000");
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

    private static HttpResponse<String> query(PodmanPod pod, String bot, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + pod.port("http")
                        + "/bots/" + bot))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"version": "1.2", "type": "query", "user_id": "u", "conversation_id": "c",
                         "message_id": "m", "query": [{"role": "user", "content": "hello from a container"}]}"""));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String ask(PodmanPod pod, String bot, String key) throws Exception {
        HttpResponse<String> response = query(pod, bot, key);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }

    private static int askStatus(PodmanPod pod, String bot, String key) throws Exception {
        return query(pod, bot, key).statusCode();
    }

    private static String images(String subcommand) {
        return Command.of(List.of("bash", ControlPlane.REPO.resolve("e2e/images").toString(), subcommand))
                .withTimeout(Duration.ofMinutes(20)).run().orFail().out().strip();
    }

    private static String repository(String image) {
        return image.substring(0, image.lastIndexOf(':'));
    }

    private static String loaded(String podmanLoadOutput) {
        Matcher name = LOADED.matcher(podmanLoadOutput);
        assertThat(name.find()).as(podmanLoadOutput).isTrue();
        return name.group(1);
    }

    /** Prints a figure and appends it to target/e2e/figures.md; never fails on time. */
    private static void figure(String line) throws IOException {
        System.out.println(line);
        Files.createDirectories(ControlPlane.WORK);
        Files.writeString(ControlPlane.WORK.resolve("figures.md"), "- " + line + "\n", StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }
}
