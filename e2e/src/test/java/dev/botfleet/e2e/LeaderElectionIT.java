package dev.botfleet.e2e;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Two operator processes with leader election, as two replicas of the chart's Deployment would run. */
@Order(6)
class LeaderElectionIT {

    private static final String LEASE = "botfleet-operator";

    @Test
    void onlyTheLeaderWritesAndTheOtherTakesOverWhenItDies() {
        Release release = Release.clusterWide();
        ControlPlane cluster = ControlPlane.get();
        KubernetesClient client = cluster.admin();
        AuditLog audit = new AuditLog(cluster.auditLog());
        String namespace = Namespaces.create(client, "leader");
        Instant start = Instant.now();

        try (OperatorProcess first = release.startOperator("replica-a");
             OperatorProcess second = release.startOperator("replica-b")) {
            String leaderName = await().atMost(Duration.ofSeconds(60)).until(() -> holder(client),
                    name -> name != null && List.of("replica-a", "replica-b").contains(name));
            OperatorProcess leader = leaderName.equals("replica-a") ? first : second;
            OperatorProcess follower = leader == first ? second : first;

            cluster.apply(namespace, ControlPlane.echoBot("before"));
            Bots.awaitReason(client, namespace, "before", "Ready");

            assertThat(audit.writesBy(leader.credentialId(), start)).isNotEmpty()
                    .anySatisfy(write -> assertThat(write.resource()).isEqualTo("configmaps"));
            assertThat(audit.writesBy(follower.credentialId(), start)).isEmpty();

            long killed = System.nanoTime();
            leader.kill();
            await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(200))
                    .until(() -> follower.name().equals(holder(client)));
            Duration takeover = Duration.ofNanos(System.nanoTime() - killed);
            System.out.println("leader killed -> " + follower.name() + " holds the Lease after "
                    + takeover.toMillis() + " ms (lease duration 15 s)");
            assertThat(takeover).isLessThan(Duration.ofSeconds(15 + 2 + 5));

            cluster.apply(namespace, ControlPlane.echoBot("after"));
            Bots.awaitReason(client, namespace, "after", "Ready");
            assertThat(audit.writesBy(follower.credentialId(), start))
                    .anySatisfy(write -> assertThat(write.name()).isEqualTo("after"));
            assertThat(follower.isAlive()).isTrue();
        }
    }

    private static String holder(KubernetesClient client) {
        Lease lease = client.leases().inNamespace("botfleet-system").withName(LEASE).get();
        return lease == null ? null : lease.getSpec().getHolderIdentity();
    }

}
