package dev.botfleet.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import java.util.List;
import java.util.Objects;

/** Observed state of a BotRuntime. */
public class BotRuntimeStatus extends ResourceStatus {

    @JsonPropertyDescription("Names of the LLMBots this runtime group serves.")
    private List<String> bots;

    public List<String> getBots() {
        return bots;
    }

    public void setBots(List<String> bots) {
        this.bots = bots;
    }

    @Override
    public boolean equals(Object o) {
        return super.equals(o) && Objects.equals(bots, ((BotRuntimeStatus) o).bots);
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), bots);
    }
}
