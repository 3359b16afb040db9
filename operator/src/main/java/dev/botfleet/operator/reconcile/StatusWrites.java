package dev.botfleet.operator.reconcile;

import dev.botfleet.api.Condition;
import dev.botfleet.api.ResourceStatus;
import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;

import java.util.Objects;

/**
 * Writes a status only when it changed, and records an Event when a resource turns to a reason that deserves one
 * ({@link Reason#recordsEvent()}). The write goes through the operator SDK's {@link PrimaryUpdateAndCacheUtils},
 * which updates with the resourceVersion the status was computed from and hands the result to the controller's
 * cache, so that a reconcile right after this one (a group object changed) reads this status and writes nothing.
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
        PrimaryUpdateAndCacheUtils.updateStatusAndCacheResource(resource, context, fresh -> {
            fresh.setStatus(status);
            return fresh;
        });
        return UpdateControl.noUpdate();
    }
}
