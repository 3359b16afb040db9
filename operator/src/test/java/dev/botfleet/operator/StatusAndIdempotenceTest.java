package dev.botfleet.operator;

import dev.botfleet.api.GroupConfig;

import dev.botfleet.api.LLMBot;
import dev.botfleet.api.LLMProvider;
import dev.botfleet.operator.reconcile.Conditions;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class StatusAndIdempotenceTest extends OperatorTestBase {

    private void readyFleet() {
        secret("openai", Map.of("api-key", OPENAI_KEY));
        secret("poe-assistant", Map.of("access-key", ACCESS_KEY));
        provider("openai", "openai");
        bot("assistant", "openai", "default", "accessKeySecretRef: {name: poe-assistant, key: access-key}");
        await().atMost(Duration.ofSeconds(15)).until(() -> deployment("default") != null);
        markAvailable("default");
        awaitBot("assistant", "Ready");
    }

    private List<Event> events(String involved) {
        return client.v1().events().inNamespace(NAMESPACE).list().getItems().stream()
                .filter(e -> e.getInvolvedObject().getName().equals(involved)).toList();
    }

    @Test
    void aBurstOfBotsIntoOneGroupIsWrittenTogetherAndEveryBotGetsItsStatus() throws InterruptedException {
        secret("openai", Map.of("api-key", OPENAI_KEY));
        provider("openai", "openai");
        writesUntilQuiet();

        int bots = 60;
        long started = System.nanoTime();
        for (int i = 0; i < bots; i++) {
            bot("burst-" + i, "openai", "burst", "");
        }
        long burst = System.nanoTime() - started;
        await().atMost(Duration.ofSeconds(30)).until(() -> configMap("burst") != null
                && configMap("burst").getData().get("bots.yaml").lines().filter("kind: LLMBot"::equals).count() == bots);
        List<String> configMapWrites = writesUntilQuiet().stream()
                .filter(write -> write.contains("/configmaps")).toList();

        // One group reconcile per write interval: the burst's intervals, and one more for what came in the last.
        long interval = settings.groupWriteInterval().toNanos();
        assertThat(configMapWrites).isNotEmpty().hasSizeLessThanOrEqualTo((int) (burst / interval) + 2);
        for (int i = 0; i < bots; i++) {
            assertThat(getBot("burst-" + i).getStatus()).as("status of burst-" + i).isNotNull();
            assertThat(ready(getBot("burst-" + i)).reason()).isEqualTo("RuntimeNotAvailable");
        }
    }

    @Test
    void aDeletedProviderShowsOnItsBotsAndNowhereElse() {
        readyFleet();
        secret("groq", Map.of("api-key", "gsk-other"));
        provider("groq", "groq");
        bot("fast", "groq", "fast", "");
        await().atMost(Duration.ofSeconds(10)).until(() -> deployment("fast") != null);
        markAvailable("fast");
        awaitBot("fast", "Ready");

        client.resource(getProvider("openai")).delete();

        awaitBot("assistant", "ProviderNotFound");
        assertThat(ready(getBot("assistant")).message()).contains("LLMProvider 'openai' does not exist");
        assertThat(ready(getBot("fast")).reason()).isEqualTo("Ready");
        assertThat(events("assistant")).extracting(Event::getReason).contains("ProviderNotFound");
    }

    @Test
    void aMissingSecretKeyShowsOnTheProviderAndItsBots() {
        secret("openai", Map.of("wrong-key", OPENAI_KEY));
        provider("openai", "openai");
        bot("assistant", "openai", "default", "");

        await().atMost(Duration.ofSeconds(10)).until(() -> "SecretKeyMissing".equals(ready(getProvider("openai")).reason()));
        assertThat(ready(getProvider("openai")).message()).contains("no key 'api-key'");
        awaitBot("assistant", "ProviderNotReady");
        assertThat(events("openai")).extracting(Event::getReason).containsExactly("SecretKeyMissing");
    }

    @Test
    void anEmptyKeyCountsAsMissing() {
        secret("openai", Map.of("api-key", ""));
        provider("openai", "openai");
        await().atMost(Duration.ofSeconds(10)).until(() -> "SecretKeyMissing".equals(ready(getProvider("openai")).reason()));
        assertThat(ready(getProvider("openai")).message()).contains("value is empty");
    }

    @Test
    void aMissingSecretShowsAsSecretNotFoundAndClearsWhenALabelledSecretAppears() {
        provider("openai", "openai");
        await().atMost(Duration.ofSeconds(10)).until(() -> "SecretNotFound".equals(ready(getProvider("openai")).reason()));

        Secret secret = new io.fabric8.kubernetes.api.model.SecretBuilder().withNewMetadata().withName("openai")
                .withNamespace(NAMESPACE).withLabels(Map.of("botfleet.dev/watch", "yes")).endMetadata()
                .withStringData(Map.of("api-key", OPENAI_KEY)).build();
        client.resource(secret).create();

        await().atMost(Duration.ofSeconds(10)).until(() -> "Ready".equals(ready(getProvider("openai")).reason()));
    }

    @Test
    void modelOutsideTheAllowListAndMissingAccessKeyAreNamed() {
        secret("openai", Map.of("api-key", OPENAI_KEY));
        apply("""
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMProvider
                metadata: {name: openai}
                spec:
                  baseUrl: https://api.openai.com/v1
                  defaultModel: gpt-4o-mini
                  models: [gpt-4o-mini]
                  apiKeySecretRef: {name: openai, key: api-key}
                """, LLMProvider.class);
        bot("picky", "openai", "default", "model: gpt-4o");
        bot("locked", "openai", "default", "accessKeySecretRef: {name: poe-locked, key: access-key}");

        awaitBot("picky", "ModelNotAllowed");
        awaitBot("locked", "AccessKeyNotFound");
        assertThat(ready(getBot("locked")).message()).contains("poe-locked").contains("access-key");
    }

    @Test
    void anEchoBotNeedsNoProviderAndAnUnknownHandlerIsNamed() {
        apply("""
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {name: echo}
                spec: {handler: echo}
                """, LLMBot.class);
        apply("""
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {name: custom}
                spec: {handler: translator}
                """, LLMBot.class);
        awaitBot("echo", "RuntimeNotAvailable");
        markAvailable("default");
        awaitBot("echo", "Ready");
        awaitBot("custom", "HandlerNotAvailable");
        assertThat(ready(getBot("custom")).message()).contains("no handler 'translator'");
        assertThat(configMap("default").getData().get("bots.yaml")).contains("handler: echo");
    }

    @Test
    void aGroupTooLargeForOneConfigMapRefusesTheBotsThatDoNotFit() {
        secret("openai", Map.of("api-key", OPENAI_KEY));
        provider("openai", "openai");
        String prompt = "x".repeat(99_000);
        for (int i = 0; i < 11; i++) {
            bot("big-" + (char) ('a' + i), "openai", "big", "systemPrompt: " + prompt);
        }
        awaitBot("big-k", "RuntimeConfigTooLarge");
        assertThat(ready(getBot("big-k")).message()).contains("move the bot to another group");
        assertThat(configMap("big").getData().get("bots.yaml").length()).isLessThanOrEqualTo(GroupConfig.MAX_BYTES);
        assertThat(configMap("big").getData().get("bots.yaml")).contains("name: big-a").doesNotContain("name: big-k");
    }

    @Test
    void lastTransitionTimeMovesOnlyWhenTheStatusChanges() throws Exception {
        readyFleet();
        String since = Conditions.find(getBot("assistant").getStatus()).getLastTransitionTime();
        // Times are written to the second: a recomputed time must be able to differ from the kept one.
        await().atMost(Duration.ofSeconds(3)).until(() -> Instant.now().isAfter(Instant.parse(since).plusSeconds(1)));

        LLMBot bot = getBot("assistant");
        bot.getSpec().setTemperature(0.2);
        client.resource(bot).update();
        await().atMost(Duration.ofSeconds(10)).until(() ->
                getBot("assistant").getStatus().getObservedGeneration().equals(getBot("assistant").getMetadata().getGeneration()));

        assertThat(Conditions.find(getBot("assistant").getStatus()).getLastTransitionTime()).isEqualTo(since);
    }

    @Test
    void anUnchangedWorldCostsNoWritesEvenAcrossAnOperatorRestart() throws Exception {
        readyFleet();
        writesUntilQuiet();

        restartOperator();
        List<String> writes = writesUntilQuiet();

        assertThat(writes).as("writes after a restart with nothing changed").isEmpty();
    }

    @Test
    void aNewBotInAnExistingGroupCostsAFewWrites() throws Exception {
        readyFleet();
        writesUntilQuiet();

        bot("helper", "openai", "default", "");
        awaitBot("helper", "Ready");
        List<String> writes = writesUntilQuiet();

        // The test's own create, then: ConfigMap update, the BotRuntime's status (two bots), the bot's; and the
        // finalizer, which the operator SDK patches again when a reconcile finds its cache behind its own patch.
        String finalizer = "PATCH /apis/botfleet.dev/v1alpha1/namespaces/team-a/llmbots/helper";
        assertThat(writes.stream().filter(w -> !w.equals(finalizer)).toList()).as(writes.toString())
                .containsExactlyInAnyOrder(
                        "POST /apis/botfleet.dev/v1alpha1/namespaces/team-a/llmbots",
                        "PUT /api/v1/namespaces/team-a/configmaps/botfleet-default",
                        "PUT /apis/botfleet.dev/v1alpha1/namespaces/team-a/botruntimes/default/status",
                        "PUT /apis/botfleet.dev/v1alpha1/namespaces/team-a/llmbots/helper/status");
        assertThat(writes).filteredOn(finalizer::equals).isNotEmpty();
        assertThat(writes).noneMatch(w -> w.contains("/deployments/"));
        System.out.println("API writes for one new bot in an existing group: " + writes);
    }

    @Test
    void aBotInANewGroupCostsItsGroupObjectsAndTwoStatusWrites() throws Exception {
        readyFleet();
        writesUntilQuiet();

        bot("loner", "openai", "solo", "");
        awaitBot("loner", "RuntimeNotAvailable");
        markAvailable("solo");
        awaitBot("loner", "Ready");
        List<String> writes = writesUntilQuiet();

        // The test's own create and Deployment status, then: finalizer, the group's BotRuntime (made for it), its
        // ConfigMap, Deployment and Service, two statuses of the BotRuntime (not available, then ready) and two of
        // the bot.
        assertThat(writes).as(writes.toString()).hasSize(11);
        System.out.println("API writes for one new bot in a new group: " + writes);
    }

    @Test
    void noSecretValueIsWrittenAnywhere() {
        readyFleet();
        bot("broken", "nope", "default", "accessKeySecretRef: {name: poe-assistant, key: missing}");
        awaitBot("broken", "ProviderNotFound");

        String everything = Serialization.asYaml(client.configMaps().inNamespace(NAMESPACE).list())
                + Serialization.asYaml(client.apps().deployments().inNamespace(NAMESPACE).list())
                + Serialization.asYaml(client.services().inNamespace(NAMESPACE).list())
                + Serialization.asYaml(client.resources(LLMBot.class).inNamespace(NAMESPACE).list())
                + Serialization.asYaml(client.resources(LLMProvider.class).inNamespace(NAMESPACE).list())
                + Serialization.asYaml(client.v1().events().inNamespace(NAMESPACE).list());
        for (String value : List.of(OPENAI_KEY, ACCESS_KEY)) {
            assertThat(everything).doesNotContain(value)
                    .doesNotContain(java.util.Base64.getEncoder().encodeToString(value.getBytes()));
        }
    }
}
