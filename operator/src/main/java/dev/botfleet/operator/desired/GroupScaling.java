package dev.botfleet.operator.desired;

import dev.botfleet.api.Autoscaling;
import dev.botfleet.api.BotRuntimeSpec;
import dev.botfleet.api.DisruptionBudget;
import dev.botfleet.operator.OperatorSettings;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpecBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How many pods a runtime group runs and how many may go at once: fixed replicas or a HorizontalPodAutoscaler,
 * and a PodDisruptionBudget while the group may run more than one pod. Both objects are owned like the group's
 * Deployment and carry the hash of their desired spec.
 */
public final class GroupScaling {

    private GroupScaling() {
    }

    /** The Deployment's replicas, or null when an autoscaler sets them. */
    static Integer fixedReplicas(BotRuntimeSpec custom, OperatorSettings settings) {
        return custom.getAutoscaling() != null ? null
                : Objects.requireNonNullElse(custom.getReplicas(), settings.runtimeReplicas());
    }

    public static Optional<HorizontalPodAutoscaler> autoscaler(RuntimeGroup group, BotRuntimeSpec custom,
                                                               HasMetadata owner) {
        Autoscaling autoscaling = custom.getAutoscaling();
        if (autoscaling == null) {
            return Optional.empty();
        }
        List<MetricSpec> metrics = new ArrayList<>();
        if (autoscaling.getTargetCPUUtilization() != null) {
            metrics.add(new MetricSpecBuilder().withType("Resource")
                    .withNewResource().withName("cpu")
                    .withNewTarget().withType("Utilization")
                    .withAverageUtilization(autoscaling.getTargetCPUUtilization()).endTarget()
                    .endResource().build());
        }
        if (autoscaling.getTargetOpenStreamsPerPod() != null) {
            metrics.add(new MetricSpecBuilder().withType("Pods")
                    .withNewPods()
                    .withNewMetric().withName(Autoscaling.OPEN_STREAMS_METRIC).endMetric()
                    .withNewTarget().withType("AverageValue")
                    .withNewAverageValue(String.valueOf(autoscaling.getTargetOpenStreamsPerPod())).endTarget()
                    .endPods().build());
        }
        HorizontalPodAutoscaler autoscaler = new HorizontalPodAutoscalerBuilder()
                .withMetadata(ownedMetadata(group, owner))
                .withNewSpec()
                .withNewScaleTargetRef().withApiVersion("apps/v1").withKind("Deployment")
                .withName(group.objectName()).endScaleTargetRef()
                .withMinReplicas(autoscaling.effectiveMinReplicas())
                .withMaxReplicas(autoscaling.getMaxReplicas())
                .withMetrics(metrics)
                .endSpec()
                .build();
        return Optional.of(DesiredHash.stamp(autoscaler, autoscaler.getSpec()));
    }

    /** A budget while the group may run more than one pod and the BotRuntime has not turned it off. */
    public static Optional<PodDisruptionBudget> disruptionBudget(RuntimeGroup group, BotRuntimeSpec custom,
                                                                 OperatorSettings settings, HasMetadata owner) {
        DisruptionBudget budget = Objects.requireNonNullElse(custom.getDisruptionBudget(), new DisruptionBudget());
        int mostReplicas = custom.getAutoscaling() != null ? custom.getAutoscaling().getMaxReplicas()
                : fixedReplicas(custom, settings);
        if (!budget.effectiveEnabled() || mostReplicas <= 1) {
            return Optional.empty();
        }
        PodDisruptionBudget disruptionBudget = new PodDisruptionBudgetBuilder()
                .withMetadata(ownedMetadata(group, owner))
                .withNewSpec()
                .withNewSelector().withMatchLabels(group.selector()).endSelector()
                .withMaxUnavailable(new IntOrString(budget.effectiveMaxUnavailable()))
                .endSpec()
                .build();
        return Optional.of(DesiredHash.stamp(disruptionBudget, disruptionBudget.getSpec()));
    }

    private static ObjectMeta ownedMetadata(RuntimeGroup group, HasMetadata owner) {
        return new ObjectMetaBuilder(GroupObjects.metadata(group)).withOwnerReferences(GroupObjects.owner(owner))
                .build();
    }
}
