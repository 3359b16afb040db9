package dev.botfleet.e2e;

import dev.botfleet.api.LLMBot;
import dev.botfleet.testing.FakeOpenAiServer;
import dev.botfleet.testing.RuntimeProcess;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.junit.jupiter.api.AfterAll;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * From the cluster to an answer: the operator turns manifests into a group's ConfigMap and Deployment on the real
 * API server, a stand-in for the kubelet projects the Deployment's volumes into files, and the packaged runtime
 * serves from them, streaming from a fake provider. A changed systemPrompt reaches the next answers.
 */
@Order(5)
class ServeIT {

    private static final String PROVIDER_KEY = "sk-serve-e2e-key";
    private static final int CHANGES = 5;

    private static ControlPlane cluster;
    private static KubernetesClient client;
    private static OperatorProcess operator;
    private static FakeOpenAiServer upstream;

    @BeforeAll
    static void start() {
        Release release = Release.clusterWide();
        cluster = ControlPlane.get();
        client = cluster.admin();
        operator = release.startOperator("serve");
        upstream = new FakeOpenAiServer();
    }

    @AfterAll
    static void stop() {
        upstream.close();
        operator.close();
    }


    private static String bot(String prompt) {
        return """
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {name: helper}
                spec: {providerRef: {name: fake}, systemPrompt: '%s', accessKeySecretRef: {name: poe, key: access-key}}
                """.formatted(prompt);
    }

    @Test
    void aChangedSystemPromptReachesTheNextAnswer() throws Exception {
        String namespace = Namespaces.create(client, "serve");
        cluster.apply(namespace, """
                apiVersion: v1
                kind: Secret
                metadata: {name: fake-key}
                stringData: {api-key: %s}
                ---
                apiVersion: v1
                kind: Secret
                metadata: {name: poe}
                stringData: {access-key: poe-serve-key}
                ---
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMProvider
                metadata: {name: fake}
                spec: {baseUrl: '%s', defaultModel: fake-model, apiKeySecretRef: {name: fake-key, key: api-key}}
                ---
                """.formatted(PROVIDER_KEY, upstream.baseUrl()) + bot("prompt 0"));
        Bots.awaitReason(client, namespace, "helper", "Ready");

        KubeletStandIn kubelet = new KubeletStandIn(client, namespace, "botfleet-default",
                Files.createDirectories(ControlPlane.WORK.resolve("kubelet").resolve(namespace)));
        assertThat(kubelet.sync()).isTrue();
        AtomicLong projectedAt = new AtomicLong();
        SharedIndexInformer<ConfigMap> informer = client.configMaps().inNamespace(namespace)
                .withName("botfleet-default").inform(new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(ConfigMap config) {
                        onUpdate(null, config);
                    }

                    @Override
                    public void onUpdate(ConfigMap before, ConfigMap config) {
                        if (kubelet.sync()) {
                            projectedAt.set(System.nanoTime());
                        }
                    }

                    @Override
                    public void onDelete(ConfigMap config, boolean unknown) {
                    }
                });
        List<String> launch = new ArrayList<>(List.of("-jar",
                ControlPlane.REPO.resolve("bot-runtime/target/bot-runtime.jar").toString()));
        launch.addAll(kubelet.arguments(RuntimeProcess.freePort()));
        try (RuntimeProcess runtime = RuntimeProcess.start(kubelet.manifests(), List.of(kubelet.memoryLimitOption()),
                launch, kubelet.environment())) {
            assertThat(Files.readString(runtime.log())).as("the JVM options of the operator's Deployment")
                    .contains("Picked up JAVA_TOOL_OPTIONS: -XX:+UseSerialGC", "Starting AOT-processed");
            String answer = ask(runtime);
            assertThat(answer).contains("event: text", "event: done").doesNotContain("event: error");
            assertThat(upstream.lastRequest().messages()).startsWith("system: prompt 0");
            assertThat(upstream.lastRequest().header("Authorization")).isEqualTo("Bearer " + PROVIDER_KEY);
            assertThat(HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(runtime.botUrl("")
                    .replaceFirst("/$", ""))).build(), HttpResponse.BodyHandlers.discarding()).statusCode())
                    .as("GET /bots on a runtime the operator configured").isEqualTo(404);

            List<Long> totals = new ArrayList<>();
            List<Long> operatorParts = new ArrayList<>();
            for (int change = 1; change <= CHANGES; change++) {
                long applied = System.nanoTime();
                cluster.apply(namespace, bot("prompt " + change));
                long served = awaitAnswerWithPrompt(runtime, "system: prompt " + change);
                totals.add((served - applied) / 1_000_000);
                operatorParts.add((projectedAt.get() - applied) / 1_000_000);
            }
            record(totals, operatorParts);

            long generation = client.resources(LLMBot.class).inNamespace(namespace).withName("helper").require()
                    .getMetadata().getGeneration();
            assertThat(generation).isGreaterThan(1);
            assertThat(HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                    runtime.managementUrl("/actuator/prometheus"))).build(), HttpResponse.BodyHandlers.ofString()).body())
                    .as("the runtime reports the generation of the bot's spec it serves")
                    .contains("botfleet_bot_generation{application=\"bot-runtime\",bot=\"helper\"} "
                            + (double) generation);
        } finally {
            informer.close();
        }
    }

    private static long awaitAnswerWithPrompt(RuntimeProcess runtime, String systemMessage) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            ask(runtime);
            if (upstream.lastRequest().messages().get(0).equals(systemMessage)) {
                return System.nanoTime();
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no answer used '" + systemMessage + "' within 30 s; runtime log: "
                + runtime.log());
    }

    private static String ask(RuntimeProcess runtime) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(runtime.botUrl("helper")))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer poe-serve-key")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"version": "1.2", "type": "query", "user_id": "u", "conversation_id": "c",
                         "message_id": "m", "query": [{"role": "user", "content": "hello there"}]}"""))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    /** Prints the figures and appends them to target/e2e/figures.md (for BENCHMARKS.md); never fails on time. */
    private static void record(List<Long> totals, List<Long> operatorParts) throws IOException {
        List<Long> sorted = totals.stream().sorted().toList();
        String line = "apply -> first answer with the new systemPrompt (kubelet sync excluded), " + CHANGES
                + " changes: median " + sorted.get(sorted.size() / 2) + " ms, max " + sorted.get(sorted.size() - 1)
                + " ms; of which apply -> ConfigMap projected: " + operatorParts + " ms; all: " + totals + " ms";
        System.out.println(line);
        Files.createDirectories(ControlPlane.WORK);
        Files.writeString(ControlPlane.WORK.resolve("figures.md"), "- " + line + "\n", StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }
}
