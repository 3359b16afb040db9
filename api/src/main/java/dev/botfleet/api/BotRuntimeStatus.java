package dev.botfleet.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import java.util.List;
import java.util.Objects;

/** Observed state of a BotRuntime. */
public class BotRuntimeStatus extends ResourceStatus {

    @JsonPropertyDescription("Names of the LLMBots this runtime group serves.")
    private List<String> bots;

    @JsonPropertyDescription("How many LLMBots this runtime group serves.")
    private Integer botCount;

    @JsonPropertyDescription("Replicas the group's Deployment asks for (set by autoscaling, if on).")
    private Integer replicas;

    @JsonPropertyDescription("Replicas that are ready to answer.")
    private Integer readyReplicas;

    @JsonPropertyDescription("Replicas running the group's current pod template.")
    private Integer updatedReplicas;

    public List<String> getBots() {
        return bots;
    }

    public void setBots(List<String> bots) {
        this.bots = bots;
    }

    public Integer getBotCount() {
        return botCount;
    }

    public void setBotCount(Integer botCount) {
        this.botCount = botCount;
    }

    public Integer getReplicas() {
        return replicas;
    }

    public void setReplicas(Integer replicas) {
        this.replicas = replicas;
    }

    public Integer getReadyReplicas() {
        return readyReplicas;
    }

    public void setReadyReplicas(Integer readyReplicas) {
        this.readyReplicas = readyReplicas;
    }

    public Integer getUpdatedReplicas() {
        return updatedReplicas;
    }

    public void setUpdatedReplicas(Integer updatedReplicas) {
        this.updatedReplicas = updatedReplicas;
    }

    @Override
    public boolean equals(Object o) {
        if (!super.equals(o)) {
            return false;
        }
        BotRuntimeStatus other = (BotRuntimeStatus) o;
        return Objects.equals(bots, other.bots) && Objects.equals(botCount, other.botCount)
                && Objects.equals(replicas, other.replicas) && Objects.equals(readyReplicas, other.readyReplicas)
                && Objects.equals(updatedReplicas, other.updatedReplicas);
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), bots, botCount, replicas, readyReplicas, updatedReplicas);
    }
}
