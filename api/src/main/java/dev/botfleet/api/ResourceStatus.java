package dev.botfleet.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Status fields every botfleet resource carries. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public abstract class ResourceStatus {

    @JsonPropertyDescription("The metadata.generation this status describes.")
    private Long observedGeneration;

    @JsonPropertyDescription("Current state as standard conditions; type Ready tells whether the resource works "
            + "and, if not, why (reason) and what to do (message).")
    private List<Condition> conditions = new ArrayList<>();

    public Long getObservedGeneration() {
        return observedGeneration;
    }

    public void setObservedGeneration(Long observedGeneration) {
        this.observedGeneration = observedGeneration;
    }

    public List<Condition> getConditions() {
        return conditions;
    }

    public void setConditions(List<Condition> conditions) {
        this.conditions = conditions;
    }

    @Override
    public boolean equals(Object o) {
        return o != null && o.getClass() == getClass()
                && Objects.equals(observedGeneration, ((ResourceStatus) o).observedGeneration)
                && Objects.equals(conditions, ((ResourceStatus) o).conditions);
    }

    @Override
    public int hashCode() {
        return Objects.hash(observedGeneration, conditions);
    }
}
