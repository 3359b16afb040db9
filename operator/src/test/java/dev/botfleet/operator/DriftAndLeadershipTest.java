package dev.botfleet.operator;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.javaoperatorsdk.operator.Operator;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class DriftAndLeadershipTest extends OperatorTestBase {

    @Test
    void aHandEditedConfigMapIsPutBack() {
        secret("openai", Map.of("api-key", OPENAI_KEY));
        provider("openai", "openai");
        bot("assistant", "openai", "default", "");
        await().atMost(Duration.ofSeconds(10)).until(() -> configMap("default") != null);
        String desired = configMap("default").getData().get("bots.yaml");

        ConfigMap edited = configMap("default");
        edited.getData().put("bots.yaml", "# edited by hand\n");
        client.resource(edited).update();

        await().atMost(Duration.ofSeconds(10)).until(() -> desired.equals(configMap("default").getData().get("bots.yaml")));
    }

    @Test
    void aDeletedDeploymentIsRecreated() {
        secret("openai", Map.of("api-key", OPENAI_KEY));
        provider("openai", "openai");
        bot("assistant", "openai", "default", "");
        await().atMost(Duration.ofSeconds(10)).until(() -> deployment("default") != null);

        client.resource(deployment("default")).delete();

        await().atMost(Duration.ofSeconds(10)).until(() -> deployment("default") != null);
    }

    /** The mock changes nothing itself, so whatever comes back is the operator's repair (the real API server: DriftIT). */
    @Test
    void aHandEditedImageAndReplicaCountArePutBack() {
        secret("openai", Map.of("api-key", OPENAI_KEY));
        provider("openai", "openai");
        bot("assistant", "openai", "default", "");
        await().atMost(Duration.ofSeconds(10)).until(() -> deployment("default") != null);
        String image = deployment("default").getSpec().getTemplate().getSpec().getContainers().get(0).getImage();

        io.fabric8.kubernetes.api.model.apps.Deployment edited = deployment("default");
        edited.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("registry.example.com/other:1");
        edited.getSpec().setReplicas(0);
        client.resource(edited).update();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            io.fabric8.kubernetes.api.model.apps.Deployment repaired = deployment("default");
            assertThat(repaired.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                    .isEqualTo(image);
            assertThat(repaired.getSpec().getReplicas()).isEqualTo(1);
        });
    }

    @Test
    void healthEndpointsFollowTheOperator() throws Exception {
        try (HealthEndpoint health = new HealthEndpoint(0, operator.getRuntimeInfo())) {
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            for (String path : new String[] {"/healthz", "/readyz"}) {
                java.net.http.HttpResponse<String> response = http.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + health.port() + path)).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).as(path).isEqualTo(200);
            }
            operator.stop();
            java.net.http.HttpResponse<String> stopped = http.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + health.port() + "/healthz")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(stopped.statusCode()).isEqualTo(503);
        } finally {
            restartOperator();
        }
    }

    @Test
    void withLeaderElectionTheOperatorHoldsALease() {
        OperatorSettings electing = settingsForMock(Map.of("BOTFLEET_LEADER_ELECTION", "true",
                "BOTFLEET_LEASE_NAMESPACE", "botfleet-system", "BOTFLEET_EXIT_ON_LOST_LEADERSHIP", "false"));
        // The mock cannot answer the permission check JOSDK makes before electing; answer as an API server
        // would for the operator's RBAC (leases: get, create, update, patch).
        server.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
                .andReturn(201, new SelfSubjectRulesReviewBuilder().withNewStatus()
                        .addNewResourceRule().withApiGroups("coordination.k8s.io").withResources("leases")
                        .withVerbs("get", "create", "update", "patch").endResourceRule()
                        .withIncomplete(false).endStatus().build())
                .always();
        Operator second = OperatorMain.create(client, electing);
        second.start();
        try {
            await().atMost(Duration.ofSeconds(15)).until(() -> client.resources(Lease.class)
                    .inNamespace("botfleet-system").withName("botfleet-operator").get() != null);
            Lease lease = client.resources(Lease.class).inNamespace("botfleet-system").withName("botfleet-operator").get();
            assertThat(lease.getSpec().getHolderIdentity()).isNotBlank();
        } finally {
            second.stop();
        }
    }
}
