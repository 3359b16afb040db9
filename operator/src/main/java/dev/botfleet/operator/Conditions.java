package dev.botfleet.operator;

import dev.botfleet.api.Condition;
import dev.botfleet.api.ResourceStatus;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;

/** Builds the Ready condition in one place, keeping {@code lastTransitionTime} unless the status changes. */
public final class Conditions {

    private Conditions() {
    }

    /** The Ready condition the resource should carry, given the one it has. */
    static Condition ready(Reason reason, String message, Long generation, ResourceStatus current) {
        Condition condition = new Condition(Condition.READY, reason.ready() ? Condition.TRUE : Condition.FALSE,
                reason.value(), message);
        condition.setObservedGeneration(generation);
        Condition previous = find(current);
        boolean unchanged = previous != null && Objects.equals(previous.getStatus(), condition.getStatus());
        condition.setLastTransitionTime(unchanged && previous.getLastTransitionTime() != null
                ? previous.getLastTransitionTime() : Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        return condition;
    }

    public static Condition find(ResourceStatus status) {
        if (status == null || status.getConditions() == null) {
            return null;
        }
        return status.getConditions().stream().filter(c -> Condition.READY.equals(c.getType())).findFirst()
                .orElse(null);
    }

    public static List<Condition> only(Condition condition) {
        return new java.util.ArrayList<>(List.of(condition));
    }
}
