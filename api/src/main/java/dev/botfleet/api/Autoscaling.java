package dev.botfleet.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** How a runtime group scales with its load: a HorizontalPodAutoscaler the operator owns. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value = "!has(self.minReplicas) || self.minReplicas <= self.maxReplicas",
        message = "minReplicas must not exceed maxReplicas",
        fieldPath = ".minReplicas",
        reason = "FieldValueInvalid")
@ValidationRule(
        value = "has(self.targetCPUUtilization) || has(self.targetOpenStreamsPerPod)",
        message = "autoscaling needs a target: targetCPUUtilization, targetOpenStreamsPerPod or both",
        fieldPath = ".targetCPUUtilization",
        reason = "FieldValueRequired")
public class Autoscaling {

    /** The Prometheus name of the runtime's gauge of answers being streamed, as a metrics adapter serves it. */
    public static final String OPEN_STREAMS_METRIC = "botfleet_streams_open";

    @Min(1)
    @Max(1000)
    @JsonPropertyDescription("Fewest replicas. Default 1.")
    private Integer minReplicas;

    @Required
    @Min(1)
    @Max(1000)
    @JsonPropertyDescription("Most replicas.")
    private Integer maxReplicas;

    @Min(1)
    @Max(1000)
    @JsonPropertyDescription("Average CPU use of the group's pods to keep, in percent of the runtime container's "
            + "CPU request.")
    private Integer targetCPUUtilization;

    @Min(1)
    @Max(100000)
    @JsonPropertyDescription("Average answers being streamed per pod to keep (the runtime's "
            + OPEN_STREAMS_METRIC + " gauge). Needs an adapter that serves that metric through the custom "
            + "metrics API (custom.metrics.k8s.io), such as prometheus-adapter.")
    private Integer targetOpenStreamsPerPod;

    public int effectiveMinReplicas() {
        return minReplicas == null ? 1 : minReplicas;
    }

    public Integer getMinReplicas() {
        return minReplicas;
    }

    public void setMinReplicas(Integer minReplicas) {
        this.minReplicas = minReplicas;
    }

    public Integer getMaxReplicas() {
        return maxReplicas;
    }

    public void setMaxReplicas(Integer maxReplicas) {
        this.maxReplicas = maxReplicas;
    }

    public Integer getTargetCPUUtilization() {
        return targetCPUUtilization;
    }

    public void setTargetCPUUtilization(Integer targetCPUUtilization) {
        this.targetCPUUtilization = targetCPUUtilization;
    }

    public Integer getTargetOpenStreamsPerPod() {
        return targetOpenStreamsPerPod;
    }

    public void setTargetOpenStreamsPerPod(Integer targetOpenStreamsPerPod) {
        this.targetOpenStreamsPerPod = targetOpenStreamsPerPod;
    }
}
