package dev.botfleet.operator;

import dev.botfleet.api.BotRuntime;
import dev.botfleet.api.BotRuntimeStatus;
import dev.botfleet.api.Condition;
import dev.botfleet.api.LLMBot;
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
import java.util.Set;

/**
 * Reports on each BotRuntime which bots its group serves. The settings themselves are applied by the LLMBot
 * reconciler when it writes the group's Deployment.
 */
@ControllerConfiguration(name = "botruntime")
public class BotRuntimeReconciler implements Reconciler<BotRuntime> {

    private final EventRecorder events;
    private InformerEventSource<LLMBot, BotRuntime> bots;

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
        return List.of(bots);
    }

    @Override
    public UpdateControl<BotRuntime> reconcile(BotRuntime runtime, Context<BotRuntime> context) {
        String group = runtime.getMetadata().getName();
        List<String> served = bots.list(runtime.getMetadata().getNamespace(),
                        bot -> bot.getSpec().effectiveRuntime().equals(group) && bot.getMetadata().getDeletionTimestamp() == null)
                .map(bot -> bot.getMetadata().getName()).sorted().toList();
        Condition ready = Conditions.ready(Reason.READY, served.isEmpty()
                        ? "no LLMBot uses runtime group '" + group + "' yet"
                        : "applies to runtime group '" + group + "' (" + served.size() + " bot(s))",
                runtime.getMetadata().getGeneration(), runtime.getStatus());
        BotRuntimeStatus status = new BotRuntimeStatus();
        status.setObservedGeneration(runtime.getMetadata().getGeneration());
        status.setConditions(Conditions.only(ready));
        status.setBots(served);
        return StatusWrites.update(runtime, status, Reason.READY, events, context);
    }
}
