package dev.botfleet.e2e;

import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What happens while the operator is away, and what it does when it comes back. */
@Order(7)
class RestartIT {

    private static final Duration SETTLE = Duration.ofSeconds(10);
    private static final Duration QUIET = Duration.ofSeconds(5);

    private final Release release = Release.clusterWide();
    private final ControlPlane cluster = ControlPlane.get();
    private final KubernetesClient client = cluster.admin();


    private static String bot(String name, String prompt) {
        return """
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {name: %s}
                spec: {handler: echo, systemPrompt: '%s'}
                ---
                """.formatted(name, prompt);
    }

    private String config(String namespace) {
        return client.configMaps().inNamespace(namespace).withName("botfleet-default").require().getData()
                .get("bots.yaml");
    }

    @Test
    void changesMadeWhileTheOperatorWasStoppedAreCaughtUpWith() {
        String namespace = Namespaces.create(client, "restart");
        String doomed = Namespaces.create(client, "restart-doomed");
        try (OperatorProcess operator = release.startOperator("before-restart")) {
            cluster.apply(namespace, bot("kept", "old prompt") + bot("changed", "old prompt") + bot("removed", "old"));
            cluster.apply(doomed, bot("lost", "old"));
            for (String bot : new String[] {"kept", "changed", "removed"}) {
                Bots.awaitReason(client, namespace, bot, "Ready");
            }
            Bots.awaitReason(client, doomed, "lost", "Ready");
        }

        // The group's Service as an older operator version left it: one port, another desired-spec hash.
        cluster.kubectl("patch", "-n", namespace, "service/botfleet-default", "--type=json", "-p",
                "[{\"op\": \"remove\", \"path\": \"/spec/ports/1\"}, {\"op\": \"replace\", \"path\": "
                        + "\"/metadata/annotations/botfleet.dev~1desired-hash\", \"value\": \"older-operator\"}]")
                .run().orFail();
        cluster.apply(namespace, bot("changed", "new prompt") + bot("added", "new"));
        cluster.kubectl("delete", "-n", namespace, "llmbot/removed", "--wait=false").run().orFail();
        cluster.kubectl("delete", "namespace", doomed, "--wait=false").run().orFail();
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                .until(() -> client.namespaces().withName(doomed).get() != null);

        try (OperatorProcess operator = release.startOperator("after-restart")) {
            Bots.awaitReason(client, namespace, "added", "Ready");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(config(namespace)).contains("new prompt", "name: added", "name: kept")
                        .doesNotContain("name: removed");
                assertThat(client.services().inNamespace(namespace).withName("botfleet-default").require().getSpec()
                        .getPorts()).extracting(port -> port.getName()).containsExactly("http", "management");
                assertThat(client.resources(dev.botfleet.api.LLMBot.class).inNamespace(namespace)
                        .withName("removed").get()).isNull();
            });
            await().atMost(Duration.ofSeconds(90)).until(() -> client.namespaces().withName(doomed).get() == null);
        }
    }

    @Test
    void aRestartWithNothingChangedWritesNothing() {
        String namespace = Namespaces.create(client, "idle");
        try (OperatorProcess operator = release.startOperator("idle-first")) {
            cluster.apply(namespace, bot("one", "p") + bot("two", "p") + """
                    apiVersion: botfleet.dev/v1alpha1
                    kind: LLMBot
                    metadata: {name: three}
                    spec: {handler: echo, runtime: other}
                    """);
            for (String bot : new String[] {"one", "two", "three"}) {
                Bots.awaitReason(client, namespace, bot, "Ready");
            }
            // Other tests' bots share the cluster: let this operator finish whatever it found to do.
            AuditLog audit = new AuditLog(cluster.auditLog());
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() ->
                    audit.writesBy(operator.credentialId(), Instant.now().minus(QUIET)).isEmpty());
        }

        Instant restarted = Instant.now();
        try (OperatorProcess operator = release.startOperator("idle-second")) {
            await().atMost(Duration.ofSeconds(60)).until(() -> operator.health("/readyz") == 200);
            await().pollDelay(SETTLE).atMost(SETTLE.plusSeconds(1)).until(() -> true);
            assertThat(new AuditLog(cluster.auditLog()).writesBy(operator.credentialId(), restarted))
                    .as("writes of an operator restarted with nothing to do").isEmpty();
        }
    }
}
