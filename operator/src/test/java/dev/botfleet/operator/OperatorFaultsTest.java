package dev.botfleet.operator;

import dev.botfleet.api.LLMBot;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The operator under API-server faults: it converges, and says why on status while it cannot. */
class OperatorFaultsTest extends OperatorTestBase {

    private static final String CONFIGMAPS = "/api/v1/namespaces/" + NAMESPACE + "/configmaps";
    private static final String DEPLOYMENTS = "/apis/apps/v1/namespaces/" + NAMESPACE + "/deployments";
    private static final String SERVICES = "/api/v1/namespaces/" + NAMESPACE + "/services";

    private void failNext(String method, String path, int status, int times) {
        var failure = new StatusBuilder().withCode(status).withReason(status == 409 ? "Conflict" : "InternalError")
                .withMessage("injected by the test").build();
        switch (method) {
            case "POST" -> server.expect().post().withPath(path).andReturn(status, failure).times(times);
            case "PUT" -> server.expect().put().withPath(path).andReturn(status, failure).times(times);
            default -> server.expect().patch().withPath(path).andReturn(status, failure).times(times);
        }
    }

    private void fleetWithOneBot() {
        secret("openai", Map.of("api-key", OPENAI_KEY));
        provider("openai", "openai");
        bot("assistant", "openai", "default", "");
    }

    @Test
    void conflictsOnEveryCreateAreRetriedUntilTheGroupExists() {
        failNext("POST", CONFIGMAPS, 409, 1);
        failNext("POST", DEPLOYMENTS, 409, 1);
        failNext("POST", SERVICES, 409, 1);
        fleetWithOneBot();

        await().atMost(Duration.ofSeconds(30)).until(() ->
                configMap("default") != null && deployment("default") != null && service("default") != null);
        awaitBot("assistant", "RuntimeNotAvailable");
    }

    @Test
    void conflictsOnUpdatesAndStatusAreRetried() {
        fleetWithOneBot();
        awaitBot("assistant", "RuntimeNotAvailable");
        failNext("PUT", CONFIGMAPS + "/botfleet-default", 409, 2);
        failNext("PUT", "/apis/botfleet.dev/v1alpha1/namespaces/" + NAMESPACE + "/llmbots/assistant/status", 409, 2);

        LLMBot bot = getBot("assistant");
        bot.getSpec().setSystemPrompt("changed under conflict");
        client.resource(bot).update();
        markAvailable("default");

        await().atMost(Duration.ofSeconds(30)).until(() ->
                configMap("default").getData().get("bots.yaml").contains("changed under conflict"));
        // The operator SDK answers each status conflict by waiting up to 10 s for a newer bot in its cache, which an
        // injected conflict never brings: two of them cost 20 s.
        awaitBot("assistant", "Ready", Duration.ofSeconds(45));
    }

    @Test
    void anApiServerFailingWritesForAWhileIsWaitedOut() {
        failNext("POST", CONFIGMAPS, 500, 4);
        fleetWithOneBot();

        await().atMost(Duration.ofSeconds(60)).until(() -> configMap("default") != null && deployment("default") != null);
    }

    @Test
    void aSecretDeletedAndCreatedAgainIsNoticed() {
        secret("openai", Map.of("api-key", OPENAI_KEY));
        client.secrets().inNamespace(NAMESPACE).withName("openai").edit(s -> {
            s.getMetadata().setLabels(Map.of("botfleet.dev/watch", "yes"));
            return s;
        });
        provider("openai", "openai");
        bot("assistant", "openai", "default", "");
        await().atMost(Duration.ofSeconds(10)).until(() -> "Ready".equals(ready(getProvider("openai")).reason()));

        client.secrets().inNamespace(NAMESPACE).withName("openai").delete();
        await().atMost(Duration.ofSeconds(10)).until(() -> "SecretNotFound".equals(ready(getProvider("openai")).reason()));
        awaitBot("assistant", "ProviderNotReady");

        client.resource(new io.fabric8.kubernetes.api.model.SecretBuilder().withNewMetadata().withName("openai")
                .withNamespace(NAMESPACE).withLabels(Map.of("botfleet.dev/watch", "yes")).endMetadata()
                .withStringData(Map.of("api-key", OPENAI_KEY)).build()).create();
        await().atMost(Duration.ofSeconds(10)).until(() -> "Ready".equals(ready(getProvider("openai")).reason()));
        awaitBot("assistant", "RuntimeNotAvailable");
    }

    @Test
    void anOperatorRestartedMidWayConverges() {
        secret("openai", Map.of("api-key", OPENAI_KEY));
        provider("openai", "openai");
        for (int i = 0; i < 20; i++) {
            bot("bot-" + i, "openai", "group-" + (i % 4), "");
        }
        restartOperator();

        await().atMost(Duration.ofSeconds(30)).until(() -> {
            for (int g = 0; g < 4; g++) {
                if (configMap("group-" + g) == null) {
                    return false;
                }
                for (int i = g; i < 20; i += 4) {
                    if (!configMap("group-" + g).getData().get("bots.yaml").contains("name: bot-" + i + "\n")) {
                        return false;
                    }
                }
            }
            return true;
        });
    }

    @Test
    void fiveHundredBotsDeletedAtOnceTakeTheirGroupsWithThem() {
        secret("openai", Map.of("api-key", OPENAI_KEY));
        provider("openai", "openai");
        for (int i = 0; i < 500; i++) {
            bot("bot-" + i, "openai", "group-" + (i % 10), "");
        }
        await().atMost(Duration.ofSeconds(120)).until(() ->
                client.resources(LLMBot.class).inNamespace(NAMESPACE).list().getItems().stream()
                        .allMatch(b -> b.getStatus() != null && b.getStatus().getEndpoint() != null));

        long start = System.nanoTime();
        client.resources(LLMBot.class).inNamespace(NAMESPACE).delete();

        await().atMost(Duration.ofSeconds(120)).until(() ->
                client.resources(LLMBot.class).inNamespace(NAMESPACE).list().getItems().isEmpty()
                        && client.configMaps().inNamespace(NAMESPACE).list().getItems().isEmpty()
                        && client.apps().deployments().inNamespace(NAMESPACE).list().getItems().isEmpty());
        System.out.printf("500 bots deleted: every bot and group object gone after %d ms%n",
                Duration.ofNanos(System.nanoTime() - start).toMillis());
        assertThat(client.services().inNamespace(NAMESPACE).list().getItems()).isEmpty();
    }
}
