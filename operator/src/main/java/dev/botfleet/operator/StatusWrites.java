package dev.botfleet.operator;

import dev.botfleet.api.Condition;
import dev.botfleet.api.ResourceStatus;
import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

import java.util.Objects;

/**
 * Writes a status only when it changed, and records an Event when a resource turns to a failure. Waiting for
 * the runtime to come up is progress, not a failure, and records none.
 */
final class StatusWrites {

    private StatusWrites() {
    }

    static <S extends ResourceStatus, R extends CustomResource<?, S>> UpdateControl<R> update(
            R resource, S status, Reason reason, EventRecorder events, Context<R> context) {
        S current = resource.getStatus();
        if (Objects.equals(current, status)) {
            return UpdateControl.noUpdate();
        }
        Condition previous = Conditions.find(current);
        if (reason.recordsEvent() && (previous == null || !Objects.equals(previous.getReason(), reason.value()))) {
            events.warning(resource, reason.value(), Conditions.find(status).getMessage());
        }
        resource.setStatus(status);
        // Written here, with the resourceVersion it was computed from, and handed to the controller's cache, so
        // that a reconcile right after this one (a group object changed) reads this status and writes nothing.
        R updated = context.getClient().resource(resource).updateStatus();
        context.eventSourceRetriever().getControllerEventSource()
                .handleRecentResourceUpdate(ResourceID.fromResource(resource), updated, resource);
        return UpdateControl.noUpdate();
    }
}
