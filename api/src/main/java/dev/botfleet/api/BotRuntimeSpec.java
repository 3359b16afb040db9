package dev.botfleet.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;

import java.util.List;
import java.util.Map;

/** Settings of one runtime group that differ from the operator's defaults. Unset fields keep the defaults. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value = "!(has(self.replicas) && has(self.autoscaling))",
        message = "replicas and autoscaling exclude each other: with autoscaling, the HorizontalPodAutoscaler sets "
                + "the replicas",
        fieldPath = ".replicas",
        reason = "FieldValueForbidden")
public class BotRuntimeSpec {

    @Size(min = 1, max = 512)
    @JsonPropertyDescription("Runtime image of this group, e.g. a custom image that packages extra bot handlers. "
            + "Default: the operator's runtime image.")
    private String image;

    @Size(max = 32)
    @JsonPropertyDescription("Handlers the image provides besides the built-in llm and echo, so that bots naming "
            + "them are not reported as HandlerNotAvailable.")
    private List<@Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$") String> handlers;

    @Min(0)
    @JsonPropertyDescription("Replicas of the group's Deployment. Default: the operator's. Not with autoscaling.")
    private Integer replicas;

    @JsonPropertyDescription("Scale the group with a HorizontalPodAutoscaler (autoscaling/v2) that the operator "
            + "owns, instead of a fixed number of replicas.")
    private Autoscaling autoscaling;

    @JsonPropertyDescription("The group's PodDisruptionBudget, kept while the group may run more than one "
            + "replica. Default: at most 1 pod down at once.")
    private DisruptionBudget disruptionBudget;

    @Pattern(Validation.DURATION)
    @Size(max = 32)
    @JsonPropertyDescription("How long a stopping runtime pod lets the answers it is streaming finish before it "
            + "ends them with an error that allows a retry, as a duration such as 90s or 10m. The pod's "
            + "terminationGracePeriodSeconds follows from it. Default: twice the longest timeout of the group's "
            + "providers.")
    private String drainTimeout;

    @JsonPropertyDescription("Resources of the runtime container. Default: the operator's.")
    private ResourceRequirements resources;

    @JsonPropertyDescription("Redis or Valkey that keeps the group's spec.limits and spec.budgets for all its "
            + "replicas at once. Default: the operator's (none: each replica counts on its own).")
    private SharedCounts redis;

    @Size(max = 32)
    @JsonPropertyDescription("Extra labels on the group's pods (the operator's own labels win on conflict).")
    private Map<String, String> podLabels;

    @Size(max = 32)
    @JsonPropertyDescription("Extra annotations on the group's pods.")
    private Map<String, String> podAnnotations;

    @JsonPropertyDescription("Node selector of the group's pods. Default: the operator's.")
    private Map<String, String> nodeSelector;

    @JsonPropertyDescription("Tolerations of the group's pods. Default: the operator's.")
    private List<Toleration> tolerations;

    @Size(max = 8)
    @JsonPropertyDescription("Topology spread constraints of the group's pods. Default: spread across nodes and "
            + "zones where the scheduler can (ScheduleAnyway). An empty list turns spreading off.")
    private List<TopologySpreadConstraint> topologySpreadConstraints;

    public String getImage() {
        return image;
    }

    public void setImage(String image) {
        this.image = image;
    }

    public List<String> getHandlers() {
        return handlers;
    }

    public void setHandlers(List<String> handlers) {
        this.handlers = handlers;
    }

    public Integer getReplicas() {
        return replicas;
    }

    public void setReplicas(Integer replicas) {
        this.replicas = replicas;
    }

    public ResourceRequirements getResources() {
        return resources;
    }

    public void setResources(ResourceRequirements resources) {
        this.resources = resources;
    }

    public Map<String, String> getPodLabels() {
        return podLabels;
    }

    public void setPodLabels(Map<String, String> podLabels) {
        this.podLabels = podLabels;
    }

    public Map<String, String> getPodAnnotations() {
        return podAnnotations;
    }

    public void setPodAnnotations(Map<String, String> podAnnotations) {
        this.podAnnotations = podAnnotations;
    }

    public Map<String, String> getNodeSelector() {
        return nodeSelector;
    }

    public void setNodeSelector(Map<String, String> nodeSelector) {
        this.nodeSelector = nodeSelector;
    }

    public List<Toleration> getTolerations() {
        return tolerations;
    }

    public void setTolerations(List<Toleration> tolerations) {
        this.tolerations = tolerations;
    }

    public Autoscaling getAutoscaling() {
        return autoscaling;
    }

    public void setAutoscaling(Autoscaling autoscaling) {
        this.autoscaling = autoscaling;
    }

    public SharedCounts getRedis() {
        return redis;
    }

    public void setRedis(SharedCounts redis) {
        this.redis = redis;
    }

    public DisruptionBudget getDisruptionBudget() {
        return disruptionBudget;
    }

    public void setDisruptionBudget(DisruptionBudget disruptionBudget) {
        this.disruptionBudget = disruptionBudget;
    }

    public String getDrainTimeout() {
        return drainTimeout;
    }

    public void setDrainTimeout(String drainTimeout) {
        this.drainTimeout = drainTimeout;
    }

    public List<TopologySpreadConstraint> getTopologySpreadConstraints() {
        return topologySpreadConstraints;
    }

    public void setTopologySpreadConstraints(List<TopologySpreadConstraint> topologySpreadConstraints) {
        this.topologySpreadConstraints = topologySpreadConstraints;
    }
}
