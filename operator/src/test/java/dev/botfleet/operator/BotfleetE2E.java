package dev.botfleet.operator;

import dev.botfleet.api.LLMBot;
import dev.botfleet.api.LLMProvider;
import dev.botfleet.operator.reconcile.Conditions;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.LocalPortForward;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * End to end against a real cluster from the current kubeconfig, with botfleet installed by the chart and the
 * runtime image pullable by the cluster (for kind: {@code kind load image-archive bot-runtime/target/bot-runtime-image.tar}).
 * Run with {@code ./mvnw -B -Pe2e -pl operator -am verify}; never part of the default build.
 *
 * <p>A provider pointing at an address where nothing listens and a bot using it: the operator must bring the bot
 * to Ready, and the runtime behind the Service must answer a Poe query with an error event naming the provider.
 */
class BotfleetE2E {

    private static final String NAMESPACE = "botfleet-e2e-" + UUID.randomUUID().toString().substring(0, 6);
    private static KubernetesClient client;

    @BeforeAll
    static void connect() {
        client = new KubernetesClientBuilder().build();
        client.resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build()).create();
    }

    @AfterAll
    static void cleanUp() {
        client.namespaces().withName(NAMESPACE).delete();
        client.close();
    }

    @Test
    void aBotBecomesReadyAndAnswersThroughItsService() throws Exception {
        client.resource(Serialization.unmarshal("""
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMProvider
                metadata: {name: nowhere, namespace: %s}
                spec: {baseUrl: 'http://127.0.0.1:9/v1', defaultModel: m, timeout: 2s, maxRetries: 0}
                """.formatted(NAMESPACE), LLMProvider.class)).create();
        client.resource(Serialization.unmarshal("""
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {name: e2e, namespace: %s}
                spec: {providerRef: {name: nowhere}}
                """.formatted(NAMESPACE), LLMBot.class)).create();

        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(2)).until(() -> {
            LLMBot bot = client.resources(LLMBot.class).inNamespace(NAMESPACE).withName("e2e").get();
            return bot.getStatus() != null && "Ready".equals(Conditions.find(bot.getStatus()).getReason());
        });

        try (LocalPortForward forward = client.services().inNamespace(NAMESPACE).withName("botfleet-default")
                .portForward(80)) {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + forward.getLocalPort() + "/bots/e2e"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("""
                            {"version": "1.2", "type": "query", "user_id": "u", "conversation_id": "c",
                             "message_id": "m", "query": [{"role": "user", "content": "hi"}]}"""))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("event: meta", "event: error", "nowhere/m", "event: done");
        }
    }
}
