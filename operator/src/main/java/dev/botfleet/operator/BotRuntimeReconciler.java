package dev.botfleet.operator;

import dev.botfleet.api.BotRuntime;
import dev.botfleet.api.BotRuntimeStatus;
import dev.botfleet.api.Condition;
import dev.botfleet.api.LLMBot;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reports on each BotRuntime how its group is doing: the bots it serves and the replicas of its Deployment that
 * are wanted, ready and up to date. The settings themselves are applied by the LLMBot reconciler when it writes
 * the group's objects.
 */
@ControllerConfiguration(name = "botruntime")
public class BotRuntimeReconciler implements Reconciler<BotRuntime> {

    private final EventRecorder events;
    private InformerEventSource<LLMBot, BotRuntime> bots;
    private InformerEventSource<Deployment, BotRuntime> deployments;

    public BotRuntimeReconciler(EventRecorder events) {
        this.events = events;
    }

    @Override
    public List<EventSource<?, BotRuntime>> prepareEventSources(EventSourceContext<BotRuntime> context) {
        bots = new InformerEventSource<>(InformerEventSourceConfiguration.from(LLMBot.class, BotRuntime.class)
                .withName("bots")
                .withSecondaryToPrimaryMapper(bot -> Set.of(new ResourceID(bot.getSpec().effectiveRuntime(),
                        bot.getMetadata().getNamespace())))
                .build(), context);
        deployments = new InformerEventSource<>(InformerEventSourceConfiguration.from(Deployment.class,
                        BotRuntime.class)
                .withName("group-deployments")
                .withLabelSelector(RuntimeGroup.MANAGED_SELECTOR)
                .withSecondaryToPrimaryMapper(deployment -> Set.of(new ResourceID(
                        deployment.getMetadata().getLabels().get(RuntimeGroup.GROUP_LABEL),
                        deployment.getMetadata().getNamespace())))
                .build(), context);
        return List.of(bots, deployments);
    }

    @Override
    public UpdateControl<BotRuntime> reconcile(BotRuntime runtime, Context<BotRuntime> context) {
        RuntimeGroup group = new RuntimeGroup(runtime.getMetadata().getNamespace(), runtime.getMetadata().getName());
        List<String> served = bots.list(group.namespace(), bot -> bot.getSpec().effectiveRuntime().equals(group.name())
                        && bot.getMetadata().getDeletionTimestamp() == null)
                .map(bot -> bot.getMetadata().getName()).sorted().toList();
        Optional<Deployment> deployment = deployments.get(new ResourceID(group.objectName(), group.namespace()));
        BotRuntimeStatus status = new BotRuntimeStatus();
        status.setObservedGeneration(runtime.getMetadata().getGeneration());
        status.setBots(served);
        status.setBotCount(served.size());
        deployment.ifPresent(d -> {
            DeploymentStatus observed = d.getStatus() == null ? new DeploymentStatus() : d.getStatus();
            status.setReplicas(d.getSpec().getReplicas());
            status.setReadyReplicas(zeroIfNull(observed.getReadyReplicas()));
            status.setUpdatedReplicas(zeroIfNull(observed.getUpdatedReplicas()));
        });
        Reason reason = served.isEmpty() || zeroIfNull(status.getReadyReplicas()) > 0
                ? Reason.READY : Reason.RUNTIME_NOT_AVAILABLE;
        Condition ready = Conditions.ready(reason, message(group, status), runtime.getMetadata().getGeneration(),
                runtime.getStatus());
        status.setConditions(Conditions.only(ready));
        return StatusWrites.update(runtime, status, reason, events, context);
    }

    private static String message(RuntimeGroup group, BotRuntimeStatus status) {
        if (status.getBotCount() == 0) {
            return "no LLMBot uses runtime group '" + group.name() + "' yet";
        }
        return "runtime group '" + group.name() + "' serves " + status.getBotCount() + " bot(s); "
                + zeroIfNull(status.getReadyReplicas()) + " of " + zeroIfNull(status.getReplicas())
                + " replica(s) ready, " + zeroIfNull(status.getUpdatedReplicas()) + " up to date";
    }

    private static int zeroIfNull(Integer value) {
        return value == null ? 0 : value;
    }
}
