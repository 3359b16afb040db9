package dev.botfleet.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;

/** The PodDisruptionBudget of a runtime group that may run more than one replica. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DisruptionBudget {

    @JsonPropertyDescription("Whether the operator keeps a PodDisruptionBudget for the group. Default true.")
    private Boolean enabled;

    @Min(1)
    @JsonPropertyDescription("Pods of the group that voluntary disruptions (node drains, cluster upgrades) may "
            + "take down at once. Default 1.")
    private Integer maxUnavailable;

    public boolean effectiveEnabled() {
        return enabled == null || enabled;
    }

    public int effectiveMaxUnavailable() {
        return maxUnavailable == null ? 1 : maxUnavailable;
    }

    public Boolean getEnabled() {
        return enabled;
    }

    public void setEnabled(Boolean enabled) {
        this.enabled = enabled;
    }

    public Integer getMaxUnavailable() {
        return maxUnavailable;
    }

    public void setMaxUnavailable(Integer maxUnavailable) {
        this.maxUnavailable = maxUnavailable;
    }
}
