package dev.botfleet.e2e;

import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Least privilege, checked against what the operator did in every test before this one: each verb the chart
 * grants it was used (by the API server's audit log), and it was never refused by RBAC (but where a test took
 * a permission away on purpose).
 */
@Order(99)
class RbacIT {

    /** PermissionsIT takes this permission away to see the refusal reach the bot's status. */
    private static final String TAKEN_AWAY = "apps/deployments:create";
    /** Granted though never requested: the operator SDK refuses to start electing a leader without it. */
    private static final Set<String> CHECKED_AT_START = Set.of("coordination.k8s.io/leases:update");

    @Test
    void theChartGrantsTheOperatorExactlyWhatItUses() {
        Release release = Release.clusterWide();
        ControlPlane cluster = ControlPlane.get();
        KubernetesClient client = cluster.admin();
        String user = "system:serviceaccount:" + release.namespace() + ":" + release.fullname();

        List<AuditLog.Request> requests = new AuditLog(cluster.auditLog())
                .requests(request -> request.username().equals(user));
        Set<String> used = requests.stream().map(RbacIT::permission).collect(Collectors.toCollection(TreeSet::new));
        List<PolicyRule> rules = new ArrayList<>(client.rbac().clusterRoles().withName(release.fullname()).require()
                .getRules());
        rules.addAll(client.rbac().roles().inNamespace(release.namespace())
                .withName(release.fullname() + "-leader-election").require().getRules());
        Set<String> granted = new TreeSet<>();
        for (PolicyRule rule : rules) {
            for (String group : rule.getApiGroups()) {
                for (String resource : rule.getResources()) {
                    for (String verb : rule.getVerbs()) {
                        granted.add(group + "/" + resource + ":" + verb);
                    }
                }
            }
        }

        Set<String> unused = new TreeSet<>(granted);
        unused.removeAll(used);
        unused.removeAll(CHECKED_AT_START);
        assertThat(unused).as("granted to the operator but never used").isEmpty();
        assertThat(requests.stream().filter(AuditLog.Request::forbiddenByRbac).map(RbacIT::permission)
                .filter(permission -> !permission.equals(TAKEN_AWAY)).distinct())
                .as("refused to the operator by RBAC").isEmpty();
    }

    private static String permission(AuditLog.Request request) {
        return request.apiGroup() + "/" + request.resource() + ":" + request.verb();
    }
}
