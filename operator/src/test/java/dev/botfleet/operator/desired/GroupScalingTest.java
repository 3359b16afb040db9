package dev.botfleet.operator.desired;

import dev.botfleet.api.BotRuntime;
import dev.botfleet.api.BotRuntimeSpec;
import dev.botfleet.api.LLMProvider;
import dev.botfleet.operator.OperatorSettings;
import dev.botfleet.operator.OperatorTestBase;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** How many pods a group runs, how many may go at once, how long each drains, and where they are spread. */
class GroupScalingTest {

    private static final RuntimeGroup GROUP = new RuntimeGroup("team-a", "web");
    private static final OperatorSettings SETTINGS = OperatorTestBase.settingsForMock(Map.of());
    private static final ConfigMap OWNER = GroupObjectsTest.owner("botfleet-web");

    private static BotRuntimeSpec spec(String yaml) {
        return Serialization.unmarshal("""
                apiVersion: botfleet.dev/v1alpha1
                kind: BotRuntime
                metadata: {name: web, namespace: team-a}
                spec: %s
                """.formatted(yaml), BotRuntime.class).getSpec();
    }

    private static LLMProvider provider(String timeout) {
        return Serialization.unmarshal("""
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMProvider
                metadata: {name: p, namespace: team-a}
                spec: {baseUrl: 'https://example.com/v1', timeout: %s}
                """.formatted(timeout), LLMProvider.class);
    }

    private static Deployment deployment(BotRuntimeSpec spec, Duration drain) {
        return GroupDeployment.deployment(GROUP, new TreeMap<>(), SETTINGS, OWNER, Optional.of(spec), drain);
    }

    @Test
    void anAutoscaledGroupGetsAnAutoscalerAndLeavesTheReplicasToIt() {
        BotRuntimeSpec spec = spec("{autoscaling: {minReplicas: 2, maxReplicas: 8, targetCPUUtilization: 60, "
                + "targetOpenStreamsPerPod: 200}}");

        HorizontalPodAutoscaler autoscaler = GroupScaling.autoscaler(GROUP, spec, OWNER).orElseThrow();

        assertThat(autoscaler.getMetadata().getName()).isEqualTo("botfleet-web");
        assertThat(autoscaler.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(owner -> assertThat(owner.getUid()).isEqualTo("u-1"));
        assertThat(autoscaler.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
        assertThat(autoscaler.getSpec().getScaleTargetRef().getName()).isEqualTo("botfleet-web");
        assertThat(autoscaler.getSpec().getMinReplicas()).isEqualTo(2);
        assertThat(autoscaler.getSpec().getMaxReplicas()).isEqualTo(8);
        assertThat(autoscaler.getSpec().getMetrics()).hasSize(2);
        assertThat(autoscaler.getSpec().getMetrics().get(0).getResource().getName()).isEqualTo("cpu");
        assertThat(autoscaler.getSpec().getMetrics().get(0).getResource().getTarget().getAverageUtilization())
                .isEqualTo(60);
        assertThat(autoscaler.getSpec().getMetrics().get(1).getPods().getMetric().getName())
                .isEqualTo("botfleet_streams_open");
        assertThat(autoscaler.getSpec().getMetrics().get(1).getPods().getTarget().getAverageValue().toString())
                .isEqualTo("200");
        assertThat(DesiredHash.of(autoscaler)).isNotBlank();
        assertThat(deployment(spec, Duration.ofMinutes(2)).getSpec().getReplicas()).isNull();
        assertThat(GroupScaling.disruptionBudget(GROUP, spec, SETTINGS, OWNER)).isPresent();
    }

    @Test
    void anAutoscalerWithOneTargetHasOneMetricAndMinReplicasDefaultsToOne() {
        HorizontalPodAutoscaler autoscaler = GroupScaling.autoscaler(GROUP,
                spec("{autoscaling: {maxReplicas: 3, targetOpenStreamsPerPod: 50}}"), OWNER).orElseThrow();

        assertThat(autoscaler.getSpec().getMinReplicas()).isEqualTo(1);
        assertThat(autoscaler.getSpec().getMetrics()).singleElement()
                .satisfies(metric -> assertThat(metric.getType()).isEqualTo("Pods"));
    }

    @Test
    void fixedReplicasHaveNoAutoscalerAndABudgetOnlyAboveOne() {
        assertThat(GroupScaling.autoscaler(GROUP, spec("{replicas: 3}"), OWNER)).isEmpty();
        assertThat(deployment(spec("{replicas: 3}"), Duration.ofMinutes(2)).getSpec().getReplicas()).isEqualTo(3);

        PodDisruptionBudget budget = GroupScaling.disruptionBudget(GROUP, spec("{replicas: 3}"), SETTINGS, OWNER)
                .orElseThrow();
        assertThat(budget.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
        assertThat(budget.getSpec().getSelector().getMatchLabels()).isEqualTo(GROUP.selector());
        assertThat(budget.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(owner -> assertThat(owner.getName()).isEqualTo("botfleet-web"));

        assertThat(GroupScaling.disruptionBudget(GROUP, spec("{replicas: 1}"), SETTINGS, OWNER)).isEmpty();
        assertThat(GroupScaling.disruptionBudget(GROUP, new BotRuntimeSpec(), SETTINGS, OWNER))
                .as("the operator's default of one replica").isEmpty();
        assertThat(GroupScaling.disruptionBudget(GROUP, new BotRuntimeSpec(),
                OperatorTestBase.settingsForMock(Map.of("BOTFLEET_RUNTIME_REPLICAS", "2")), OWNER)).isPresent();
    }

    @Test
    void theBudgetCanBeWidenedOrTurnedOff() {
        assertThat(GroupScaling.disruptionBudget(GROUP, spec("{replicas: 4, disruptionBudget: {maxUnavailable: 2}}"),
                SETTINGS, OWNER).orElseThrow().getSpec().getMaxUnavailable().getIntVal()).isEqualTo(2);
        assertThat(GroupScaling.disruptionBudget(GROUP, spec("{replicas: 4, disruptionBudget: {enabled: false}}"),
                SETTINGS, OWNER)).isEmpty();
        assertThat(GroupScaling.disruptionBudget(GROUP, spec("{autoscaling: {maxReplicas: 1, "
                + "targetCPUUtilization: 50}}"), SETTINGS, OWNER)).isEmpty();
    }

    @Test
    void theDrainTimeoutIsTwiceTheLongestProviderTimeoutUnlessTheBotRuntimeSetsIt() {
        assertThat(GroupDeployment.drainTimeout(Optional.empty(), List.of(provider("30s"), provider("2m"))))
                .isEqualTo(Duration.ofMinutes(4));
        assertThat(GroupDeployment.drainTimeout(Optional.empty(), List.of())).isEqualTo(Duration.ofMinutes(2));
        assertThat(GroupDeployment.drainTimeout(Optional.of(new BotRuntimeSpec()), List.of(provider("10s"))))
                .isEqualTo(Duration.ofSeconds(20));
        assertThat(GroupDeployment.drainTimeout(Optional.of(spec("{drainTimeout: 90s}")), List.of(provider("10m"))))
                .isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void theGracePeriodCoversThePreStopSleepTheDrainAndTheJvmStopping() {
        PodSpec pod = deployment(new BotRuntimeSpec(), Duration.ofMillis(90_500)).getSpec().getTemplate().getSpec();

        assertThat(pod.getContainers().get(0).getArgs()).contains("--botfleet.drain-timeout=91s");
        assertThat(pod.getTerminationGracePeriodSeconds()).isEqualTo(5 + 91 + 10);
        assertThat(pod.getContainers().get(0).getLifecycle().getPreStop().getSleep().getSeconds()).isEqualTo(5);
        assertThat(DesiredHash.of(deployment(new BotRuntimeSpec(), Duration.ofSeconds(91))))
                .isNotEqualTo(DesiredHash.of(deployment(new BotRuntimeSpec(), Duration.ofSeconds(92))));
    }

    @Test
    void podsAreSpreadAcrossNodesAndZonesUnlessTheBotRuntimeSaysOtherwise() {
        List<TopologySpreadConstraint> spread = deployment(new BotRuntimeSpec(), Duration.ofMinutes(2)).getSpec()
                .getTemplate().getSpec().getTopologySpreadConstraints();

        assertThat(spread).extracting(TopologySpreadConstraint::getTopologyKey)
                .containsExactly("kubernetes.io/hostname", "topology.kubernetes.io/zone");
        assertThat(spread).allSatisfy(constraint -> {
            assertThat(constraint.getWhenUnsatisfiable()).isEqualTo("ScheduleAnyway");
            assertThat(constraint.getMaxSkew()).isEqualTo(1);
            assertThat(constraint.getLabelSelector().getMatchLabels()).isEqualTo(GROUP.selector());
            assertThat(constraint.getMatchLabelKeys()).containsExactly("pod-template-hash");
        });
        assertThat(deployment(spec("{topologySpreadConstraints: []}"), Duration.ofMinutes(2)).getSpec()
                .getTemplate().getSpec().getTopologySpreadConstraints()).isNull();
        assertThat(deployment(spec("{topologySpreadConstraints: [{topologyKey: rack, maxSkew: 2, "
                + "whenUnsatisfiable: DoNotSchedule}]}"), Duration.ofMinutes(2)).getSpec().getTemplate().getSpec()
                .getTopologySpreadConstraints()).singleElement()
                .satisfies(constraint -> assertThat(constraint.getTopologyKey()).isEqualTo("rack"));
    }
}
