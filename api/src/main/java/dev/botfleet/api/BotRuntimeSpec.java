package dev.botfleet.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;

import java.util.List;
import java.util.Map;

/** Settings of one runtime group that differ from the operator's defaults. Unset fields keep the defaults. */
@JsonInclude(JsonInclude.Include.NON_NULL)
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
    @JsonPropertyDescription("Replicas of the group's Deployment. Default: the operator's.")
    private Integer replicas;

    @JsonPropertyDescription("Resources of the runtime container. Default: the operator's.")
    private ResourceRequirements resources;

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
}
