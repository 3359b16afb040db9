package dev.botfleet.operator.reconcile;

import dev.botfleet.api.BotRuntime;
import dev.botfleet.api.BotRuntimeSpec;
import dev.botfleet.api.BotRuntimeStatus;
import dev.botfleet.api.GroupConfig;
import dev.botfleet.api.LLMBot;
import dev.botfleet.api.LLMBotSpec;
import dev.botfleet.api.LLMProvider;
import dev.botfleet.operator.OperatorSettings;
import dev.botfleet.operator.desired.GroupDeployment;
import dev.botfleet.operator.desired.GroupObjects;
import dev.botfleet.operator.desired.GroupScaling;
import dev.botfleet.operator.desired.RuntimeGroup;
import dev.botfleet.operator.write.GroupWriter;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reconciles each runtime group, through its BotRuntime: renders the group's bots into its ConfigMap, writes its
 * Deployment, Service, autoscaler and disruption budget, reports on the BotRuntime how the group is doing, and hands
 * what it made of each bot to the LLMBot reconciler ({@link GroupOutcomes}). The operator SDK runs one reconcile of a
 * group at a time and folds the events that arrive meanwhile into the next, at most one per group write interval, so
 * a burst of new bots costs a few rewrites of the group, not one each.
 */
@ControllerConfiguration(name = "botruntime")
public class GroupReconciler implements Reconciler<BotRuntime> {

    private final GroupWriter writer;
    private final GroupOutcomes outcomes;
    private final EventRecorder events;
    private final OperatorSettings settings;

    private InformerEventSource<LLMBot, BotRuntime> bots;
    private InformerEventSource<LLMProvider, BotRuntime> providers;
    private InformerEventSource<ConfigMap, BotRuntime> configMaps;
    private InformerEventSource<Deployment, BotRuntime> deployments;
    private InformerEventSource<Service, BotRuntime> services;
    private InformerEventSource<HorizontalPodAutoscaler, BotRuntime> autoscalers;
    private InformerEventSource<PodDisruptionBudget, BotRuntime> disruptionBudgets;

    public GroupReconciler(GroupWriter writer, GroupOutcomes outcomes, EventRecorder events,
                           OperatorSettings settings) {
        this.writer = writer;
        this.outcomes = outcomes;
        this.events = events;
        this.settings = settings;
    }

    @Override
    public List<EventSource<?, BotRuntime>> prepareEventSources(EventSourceContext<BotRuntime> context) {
        bots = new InformerEventSource<>(InformerEventSourceConfiguration.from(LLMBot.class, BotRuntime.class)
                .withName("bots")
                .withOnUpdateFilter(specOrDeletionChanged())
                .withSecondaryToPrimaryMapper(bot -> {
                    Set<ResourceID> groups = new HashSet<>(Set.of(RuntimeGroup.of(bot).runtimeId()));
                    outcomes.lastGroupOf(bot.getMetadata().getNamespace(), bot.getMetadata().getName())
                            .ifPresent(group -> groups.add(group.runtimeId()));
                    return groups;
                })
                .build(), context);
        bots.addIndexers(Map.of(BotIndexes.BY_GROUP, BotIndexes::group, BotIndexes.BY_PROVIDER, BotIndexes::providers));
        providers = new InformerEventSource<>(InformerEventSourceConfiguration.from(LLMProvider.class,
                        BotRuntime.class)
                .withName("providers")
                .withOnUpdateFilter(specOrDeletionChanged())
                .withSecondaryToPrimaryMapper(provider -> bots.byIndex(BotIndexes.BY_PROVIDER,
                                BotIndexes.key(provider)).stream().map(bot -> RuntimeGroup.of(bot).runtimeId())
                        .collect(Collectors.toSet()))
                .build(), context);
        configMaps = groupObjects(ConfigMap.class, "configmaps", context);
        deployments = groupObjects(Deployment.class, "deployments", context);
        services = groupObjects(Service.class, "services", context);
        autoscalers = groupObjects(HorizontalPodAutoscaler.class, "autoscalers", context);
        disruptionBudgets = groupObjects(PodDisruptionBudget.class, "disruptionbudgets", context);
        return List.of(bots, providers, configMaps, deployments, services, autoscalers, disruptionBudgets);
    }

    /** Bots and providers matter to a group by their spec (rendered with its generation) and their going. */
    private static <R extends HasMetadata> OnUpdateFilter<R> specOrDeletionChanged() {
        return (changed, old) -> !Objects.equals(changed.getMetadata().getGeneration(),
                old.getMetadata().getGeneration()) || changed.isMarkedForDeletion() != old.isMarkedForDeletion();
    }

    private static <R extends HasMetadata> InformerEventSource<R, BotRuntime> groupObjects(
            Class<R> type, String name, EventSourceContext<BotRuntime> context) {
        return new InformerEventSource<>(InformerEventSourceConfiguration.from(type, BotRuntime.class)
                .withName(name)
                .withLabelSelector(RuntimeGroup.MANAGED_SELECTOR)
                .withSecondaryToPrimaryMapper(object -> Set.of(new ResourceID(
                        object.getMetadata().getLabels().get(RuntimeGroup.GROUP_LABEL),
                        object.getMetadata().getNamespace())))
                .build(), context);
    }

    @Override
    public UpdateControl<BotRuntime> reconcile(BotRuntime runtime, Context<BotRuntime> context) {
        RuntimeGroup group = RuntimeGroup.of(runtime);
        List<LLMBot> members = members(group);
        try {
            if (members.isEmpty()) {
                removeObjects(group);
                outcomes.forget(group);
                if (DefaultRuntimes.ownedByOperator(runtime)) {
                    context.getClient().resource(runtime).delete();
                    return UpdateControl.noUpdate();
                }
            } else {
                outcomes.publish(group, bringInLine(group, Optional.ofNullable(runtime.getSpec()), members));
            }
        } catch (KubernetesClientException e) {
            // The namespace controller removes the group's objects before the bots, and refuses new ones.
            if (ApiErrors.namespaceTerminating(e)) {
                return UpdateControl.noUpdate();
            }
            throw e;
        }
        List<String> served = members.stream().map(bot -> bot.getMetadata().getName()).toList();
        BotRuntimeStatus status = status(group, runtime, served);
        Reason reason = served.isEmpty() || zeroIfNull(status.getReadyReplicas()) > 0
                ? Reason.READY : Reason.RUNTIME_NOT_AVAILABLE;
        status.setConditions(Conditions.only(Conditions.ready(reason, message(group, status),
                runtime.getMetadata().getGeneration(), runtime.getStatus())));
        return StatusWrites.update(runtime, status, reason, events, context);
    }

    /**
     * A group whose objects could not be written (the API server refused: RBAC, a quota, an admission policy) shows
     * it on its BotRuntime, on each of its bots and as an Event, not only in the operator's log; the reconcile is
     * retried with back-off.
     */
    @Override
    public ErrorStatusUpdateControl<BotRuntime> updateErrorStatus(BotRuntime runtime, Context<BotRuntime> context,
                                                                  Exception e) {
        RuntimeGroup group = RuntimeGroup.of(runtime);
        Reason reason = ApiErrors.refused(e) ? Reason.WRITE_REFUSED : Reason.RECONCILE_FAILED;
        String message = "runtime group '" + group.name() + "' could not be brought up to date: "
                + ApiErrors.message(e) + " (retrying)";
        List<String> served = members(group).stream().map(bot -> bot.getMetadata().getName()).toList();
        outcomes.fail(group, served, new GroupOutcomes.Failure(reason, message));
        BotRuntimeStatus status = status(group, runtime, served);
        status.setConditions(Conditions.only(Conditions.ready(reason, message, runtime.getMetadata().getGeneration(),
                runtime.getStatus())));
        StatusWrites.update(runtime, status, reason, events, context);
        return ErrorStatusUpdateControl.noStatusUpdate();
    }

    /** The group's bots that are not being deleted, by name. */
    private List<LLMBot> members(RuntimeGroup group) {
        return bots.byIndex(BotIndexes.BY_GROUP, group.key()).stream()
                .filter(bot -> !bot.isMarkedForDeletion())
                .sorted(Comparator.comparing(bot -> bot.getMetadata().getName()))
                .toList();
    }

    private GroupOutcomes.Outcome bringInLine(RuntimeGroup group, Optional<BotRuntimeSpec> overrides,
                                              List<LLMBot> members) {
        Function<String, Optional<LLMProvider>> providerNamed =
                name -> providers.get(new ResourceID(name, group.namespace()));
        GroupConfig config = GroupConfig.render(members, providerNamed);
        Set<String> tooLarge = Set.copyOf(config.tooLarge());
        List<LLMBot> servedBots = members.stream().filter(bot -> !tooLarge.contains(bot.getMetadata().getName()))
                .toList();
        BotRuntimeSpec custom = overrides.orElseGet(BotRuntimeSpec::new);

        ConfigMap configMap = writer.apply(GroupObjects.configMap(group, config, servedBots), configMaps);
        writer.applyOwned(GroupDeployment.deployment(group,
                GroupDeployment.mountedSecrets(servedBots, config.providers()), settings, configMap, overrides,
                GroupDeployment.drainTimeout(overrides, config.providers())), deployments);
        writer.applyOwned(GroupObjects.service(group, configMap), services);
        applyOrRemove(GroupScaling.autoscaler(group, custom, configMap), group.objectsId(), autoscalers);
        applyOrRemove(GroupScaling.disruptionBudget(group, custom, settings, configMap), group.objectsId(),
                disruptionBudgets);

        Map<String, Long> judged = members.stream().collect(Collectors.toMap(bot -> bot.getMetadata().getName(),
                bot -> bot.getMetadata().getGeneration()));
        List<String> handlers = new ArrayList<>(LLMBotSpec.BUILT_IN_HANDLERS);
        overrides.map(BotRuntimeSpec::getHandlers).ifPresent(handlers::addAll);
        return new GroupOutcomes.Outcome(judged, tooLarge, handlers, available(group), null);
    }

    private boolean available(RuntimeGroup group) {
        return deployments.get(group.objectsId())
                .map(d -> d.getStatus() != null && d.getStatus().getAvailableReplicas() != null
                        && d.getStatus().getAvailableReplicas() > 0)
                .orElse(false);
    }

    private <R extends HasMetadata> void applyOrRemove(Optional<R> desired, ResourceID id,
                                                       InformerEventSource<R, BotRuntime> cache) {
        if (desired.isPresent()) {
            writer.applyOwned(desired.get(), cache);
        } else {
            writer.removeIfPresent(id, cache);
        }
    }

    private void removeObjects(RuntimeGroup group) {
        ResourceID id = group.objectsId();
        if (configMaps.get(id).isPresent() || deployments.get(id).isPresent() || services.get(id).isPresent()
                || autoscalers.get(id).isPresent() || disruptionBudgets.get(id).isPresent()) {
            writer.delete(group);
        }
    }

    private BotRuntimeStatus status(RuntimeGroup group, BotRuntime runtime, List<String> served) {
        BotRuntimeStatus status = new BotRuntimeStatus();
        status.setObservedGeneration(runtime.getMetadata().getGeneration());
        status.setBots(served);
        status.setBotCount(served.size());
        deployments.get(group.objectsId()).ifPresent(d -> {
            DeploymentStatus observed = d.getStatus() == null ? new DeploymentStatus() : d.getStatus();
            status.setReplicas(d.getSpec().getReplicas());
            status.setReadyReplicas(zeroIfNull(observed.getReadyReplicas()));
            status.setUpdatedReplicas(zeroIfNull(observed.getUpdatedReplicas()));
        });
        return status;
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
