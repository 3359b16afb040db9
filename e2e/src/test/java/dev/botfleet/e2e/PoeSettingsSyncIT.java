package dev.botfleet.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.botfleet.api.Condition;
import dev.botfleet.api.LLMBot;
import dev.botfleet.testing.FakePoeApi;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Settings sync on the real control plane: the packaged operator, with the chart's environment and RBAC, pushes a
 * bot's settings to a recording fake of Poe's API on loopback, and the request it makes is the one fastapi_poe's own
 * {@code sync_bot_settings} makes for the same settings (as make_app does on start), down to the path and the
 * settings as fastapi_poe's {@code SettingsResponse} reads them.
 */
@Order(9)
class PoeSettingsSyncIT {

    private static final String ACCESS_KEY = "e2eAccessKeyForPoeSettingsSync01";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ControlPlane cluster;
    private static KubernetesClient client;
    private static FakePoeApi poe;
    private static OperatorProcess operator;

    @BeforeAll
    static void startOperator() {
        cluster = ControlPlane.get();
        client = cluster.admin();
        poe = new FakePoeApi();
        operator = Release.clusterWide().startOperator("poe-sync", Map.of("BOTFLEET_POE_API_URL", poe.botApiUrl()),
                OperatorProcess.TEST_JVM);
    }

    @AfterAll
    static void stopOperator() {
        operator.close();
        poe.close();
    }

    @Test
    void theOperatorPushesWhatFastapiPoeWouldAndAgainWhenTheSettingsChange() throws IOException {
        String namespace = Namespaces.create(client, "poe-sync");
        cluster.apply(namespace, """
                apiVersion: v1
                kind: Secret
                metadata: {name: poe}
                stringData: {access-key: %s}
                ---
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {name: concierge}
                spec:
                  handler: echo
                  accessKeySecretRef: {name: poe, key: access-key}
                  poe:
                    botName: Team-Concierge
                    introductionMessage: "Ask me about the **office**."
                    expandTextAttachments: false
                    serverBotDependencies: {GPT-4o: 2}
                """.formatted(ACCESS_KEY));

        Condition synced = Bots.awaitReason(client, namespace, "concierge", Condition.POE_SETTINGS_SYNCED, "Synced");
        assertThat(synced.getStatus()).isEqualTo(Condition.TRUE);
        assertThat(poe.requests()).hasSize(1);
        FakePoeApi.Request ours = poe.requests().get(0);
        String status = client.resources(LLMBot.class).inNamespace(namespace).withName("concierge").get()
                .getStatus().toString();
        assertThat(status + cluster.kubectl("get", "events", "-n", namespace).run().orFail().out())
                .doesNotContain(ACCESS_KEY);

        JsonNode sent = FastapiPoeClient.run("sync-settings", poe.botApiUrl(), "Team-Concierge", ACCESS_KEY, """
                {"introduction_message": "Ask me about the **office**.", "expand_text_attachments": false,
                 "server_bot_dependencies": {"GPT-4o": 2}, "allow_attachments": true}""");
        assertThat(sent.path("synced").asBoolean()).as(sent.toString()).isTrue();
        FakePoeApi.Request theirs = poe.requests().get(1);

        assertThat(ours.method()).isEqualTo(theirs.method());
        assertThat(ours.path()).isEqualTo(theirs.path()).isEqualTo("/bot/update_settings/Team-Concierge/"
                + ACCESS_KEY + "/1.2");
        assertThat(ours.header("Content-Type")).isEqualTo(theirs.header("Content-Type"));
        JsonNode oursRead = FastapiPoeClient.run("settings-model", ours.body());
        assertThat(oursRead.path("error").isNull()).as("SettingsResponse (extra keys forbidden) reads ours: "
                + oursRead).isTrue();
        assertThat(oursRead.path("settings")).isEqualTo(FastapiPoeClient.run("settings-model", theirs.body())
                .path("settings"));
        assertThat(JSON.readTree(ours.body())).as("what we send is theirs without the nulls")
                .isEqualTo(withoutNulls((ObjectNode) JSON.readTree(theirs.body())));

        cluster.apply(namespace, """
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMProvider
                metadata: {name: poe-bots}
                spec: {protocol: poe, defaultModel: Claude-Sonnet-4, maxRetries: 2}
                ---
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {name: concierge}
                spec:
                  providerRef: {name: poe-bots}
                  accessKeySecretRef: {name: poe, key: access-key}
                  poe: {botName: Team-Concierge, introductionMessage: "Ask me anything."}
                """);
        awaitPushes(3);
        assertThat(poe.requests().get(2).body()).as("the Poe bot the provider calls, tried 1 + maxRetries times")
                .contains("Ask me anything.", "\"server_bot_dependencies\":{\"Claude-Sonnet-4\":3}");
        Bots.awaitReason(client, namespace, "concierge", Condition.POE_SETTINGS_SYNCED, "Synced");

        cluster.apply(namespace, """
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMProvider
                metadata: {name: poe-bots}
                spec: {protocol: poe, defaultModel: Claude-Sonnet-4, maxRetries: 0}
                """);
        awaitPushes(4);
        assertThat(poe.requests().get(3).body()).as("a change of provider is a change of the bot's settings")
                .contains("\"server_bot_dependencies\":{\"Claude-Sonnet-4\":1}");
    }

    private static void awaitPushes(int count) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
                .until(() -> poe.requests().size() == count);
    }

    private static ObjectNode withoutNulls(ObjectNode node) {
        node.properties().removeIf(field -> field.getValue().isNull());
        return node;
    }
}
