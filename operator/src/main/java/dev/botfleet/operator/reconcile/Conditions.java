package dev.botfleet.operator.reconcile;

import dev.botfleet.api.Condition;
import dev.botfleet.api.ResourceStatus;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;

/** Builds conditions in one place, keeping {@code lastTransitionTime} unless the status changes. */
public final class Conditions {

    private Conditions() {
    }

    /** The Ready condition the resource should carry, given the one it has. */
    static Condition ready(Reason reason, String message, Long generation, ResourceStatus current) {
        return of(Condition.READY, reason.ready() ? Condition.TRUE : Condition.FALSE, reason.value(), message,
                generation, current);
    }

    /** The condition of {@code type} the resource should carry, given the ones it has. */
    static Condition of(String type, String status, String reason, String message, Long generation,
                        ResourceStatus current) {
        Condition condition = new Condition(type, status, reason, message);
        condition.setObservedGeneration(generation);
        Condition previous = find(current, type);
        boolean unchanged = previous != null && Objects.equals(previous.getStatus(), condition.getStatus());
        condition.setLastTransitionTime(unchanged && previous.getLastTransitionTime() != null
                ? previous.getLastTransitionTime() : Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        return condition;
    }

    public static Condition find(ResourceStatus status) {
        return find(status, Condition.READY);
    }

    public static Condition find(ResourceStatus status, String type) {
        if (status == null || status.getConditions() == null) {
            return null;
        }
        return status.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    }

    public static List<Condition> only(Condition condition) {
        return new java.util.ArrayList<>(List.of(condition));
    }
}
