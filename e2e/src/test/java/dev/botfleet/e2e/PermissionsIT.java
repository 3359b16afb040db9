package dev.botfleet.e2e;

import dev.botfleet.api.Condition;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Refusals only a real API server makes (RBAC, quotas, admission policies) reach the bot's status and Events,
 * and the bot recovers once the cause is gone.
 */
@Order(8)
class PermissionsIT {

    private static Release release;
    private static ControlPlane cluster;
    private static KubernetesClient client;
    private static OperatorProcess operator;

    @BeforeAll
    static void start() {
        release = Release.clusterWide();
        cluster = ControlPlane.get();
        client = cluster.admin();
        operator = release.startOperator("permissions");
    }

    @AfterAll
    static void stop() {
        operator.close();
    }


    private static final String BOT = ControlPlane.echoBot("blocked");

    @Test
    void aMissingPermissionShowsOnTheBotsStatus() {
        ClusterRole original = client.rbac().clusterRoles().withName(release.fullname()).require();
        List<PolicyRule> withoutDeploymentCreate = new ArrayList<>();
        for (PolicyRule rule : original.getRules()) {
            PolicyRule copy = io.fabric8.kubernetes.client.utils.Serialization.clone(rule);
            if (copy.getResources().contains("deployments")) {
                copy.setVerbs(copy.getVerbs().stream().filter(verb -> !verb.equals("create")).toList());
            }
            withoutDeploymentCreate.add(copy);
        }
        client.rbac().clusterRoles().withName(release.fullname())
                .edit(role -> {
                    role.setRules(withoutDeploymentCreate);
                    return role;
                });
        String namespace = Namespaces.create(client, "rbac");
        try {
            cluster.apply(namespace, BOT);
            Condition refused = Bots.awaitReason(client, namespace, "blocked", "WriteRefused");
            assertThat(refused.getMessage()).contains("forbidden", "cannot create resource \"deployments\"");
            assertThat(cluster.kubectl("get", "events", "-n", namespace).run().orFail().out())
                    .contains("WriteRefused", "llmbot/blocked");
        } finally {
            client.rbac().clusterRoles().withName(release.fullname()).edit(role -> {
                role.setRules(original.getRules());
                return role;
            });
        }
        Bots.awaitReason(client, namespace, "blocked", "Ready");
    }

    @Test
    void aQuotaThatRefusesTheDeploymentShowsOnTheBotsStatus() {
        String namespace = Namespaces.create(client, "quota");
        cluster.apply(namespace, """
                apiVersion: v1
                kind: ResourceQuota
                metadata: {name: no-deployments}
                spec: {hard: {count/deployments.apps: "0"}}
                """);
        cluster.apply(namespace, BOT);

        Condition refused = Bots.awaitReason(client, namespace, "blocked", "WriteRefused");
        assertThat(refused.getMessage()).contains("exceeded quota: no-deployments");

        cluster.kubectl("delete", "-n", namespace, "resourcequota/no-deployments").run().orFail();
        Bots.awaitReason(client, namespace, "blocked", "Ready");
    }

    @Test
    void anAdmissionPolicyThatRefusesTheDeploymentShowsOnTheBotsStatus() {
        String namespace = Namespaces.create(client, "admission");
        cluster.kubectl("label", "namespace", namespace, "e2e.botfleet.dev/pinned-images=true").run().orFail();
        cluster.kubectl("apply", "-f", "-").withInput("""
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicy
                metadata: {name: e2e-pinned-images}
                spec:
                  failurePolicy: Fail
                  matchConstraints:
                    resourceRules:
                      - apiGroups: [apps]
                        apiVersions: [v1]
                        operations: [CREATE, UPDATE]
                        resources: [deployments]
                  validations:
                    - expression: "object.spec.template.spec.containers.all(c, c.image.contains('@sha256:'))"
                      message: images must be pinned by digest
                ---
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicyBinding
                metadata: {name: e2e-pinned-images}
                spec:
                  policyName: e2e-pinned-images
                  validationActions: [Deny]
                  matchResources:
                    namespaceSelector:
                      matchLabels: {e2e.botfleet.dev/pinned-images: "true"}
                """).run().orFail();
        try {
            // The API server takes the new policy up within a moment: wait until it refuses a Deployment.
            await().atMost(Duration.ofSeconds(30)).until(() -> !cluster.kubectl("create", "deployment", "probe",
                    "--image=nginx", "--dry-run=server", "-n", namespace).run().succeeded());
            cluster.apply(namespace, BOT);
            Condition refused = Bots.awaitReason(client, namespace, "blocked", "WriteRefused");
            assertThat(refused.getMessage()).contains("images must be pinned by digest");
        } finally {
            cluster.kubectl("delete", "validatingadmissionpolicybinding/e2e-pinned-images",
                    "validatingadmissionpolicy/e2e-pinned-images").run().orFail();
        }
        Bots.awaitReason(client, namespace, "blocked", "Ready");
    }
}
