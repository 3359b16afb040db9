package dev.botfleet.operator;

import dev.botfleet.api.Condition;
import dev.botfleet.api.ResourceStatus;
import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;

import java.util.Objects;
import java.util.Set;

/**
 * Writes a status only when it changed, and records an Event when a resource turns to a failure. Waiting for
 * the runtime to come up is progress, not a failure, and records none.
 */
final class StatusWrites {

    private static final Set<String> PROGRESS = Set.of("RuntimeNotAvailable");

    private StatusWrites() {
    }

    static <S extends ResourceStatus, R extends CustomResource<?, S>> UpdateControl<R> update(
            R resource, S status, Condition ready, EventRecorder events) {
        S current = resource.getStatus();
        if (Objects.equals(current, status)) {
            return UpdateControl.noUpdate();
        }
        Condition previous = Conditions.find(current);
        boolean failing = Condition.FALSE.equals(ready.getStatus()) && !PROGRESS.contains(ready.getReason());
        if (failing && (previous == null || !Objects.equals(previous.getReason(), ready.getReason()))) {
            events.warning(resource, ready.getReason(), ready.getMessage());
        }
        resource.setStatus(status);
        return UpdateControl.patchStatus(resource);
    }
}
