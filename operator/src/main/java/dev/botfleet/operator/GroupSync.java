package dev.botfleet.operator;

import dev.botfleet.api.BotRuntime;
import dev.botfleet.api.BotRuntimeSpec;
import dev.botfleet.api.GroupConfig;
import dev.botfleet.api.LLMBot;
import dev.botfleet.api.LLMBotSpec;
import dev.botfleet.api.LLMProvider;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Brings a runtime group's ConfigMap, Deployment and Service in line with its bots: many bots, one group, so every
 * bot's reconcile syncs the whole group, one at a time per group, with the ConfigMap's rewrites paced and each
 * bot's rendered document remembered. What it returns is what readiness needs to know of the group.
 */
final class GroupSync {

    /** Groups share a lock when their keys hash alike; a fixed set of locks needs no eviction. */
    private static final int LOCK_STRIPES = 256;

    /** The informers the group's objects and inputs are read from. */
    record Sources(InformerEventSource<LLMProvider, LLMBot> providers, InformerEventSource<BotRuntime, LLMBot> runtimes,
                   InformerEventSource<ConfigMap, LLMBot> configMaps, InformerEventSource<Deployment, LLMBot> deployments,
                   InformerEventSource<Service, LLMBot> services,
                   InformerEventSource<HorizontalPodAutoscaler, LLMBot> autoscalers,
                   InformerEventSource<PodDisruptionBudget, LLMBot> disruptionBudgets) {
    }

    /**
     * The group after it was brought in line, or how long until it may be: its ConfigMap was rewritten less than
     * the group write interval ago.
     */
    record State(GroupConfig config, boolean available, List<String> handlers, Duration writeDeferredFor) {

        static State deferred(Duration wait) {
            return new State(null, false, List.of(), wait);
        }

        BotReadiness.GroupView view() {
            return new BotReadiness.GroupView(handlers, config.tooLarge(), available);
        }
    }

    private final GroupWriter writer;
    private final OperatorSettings settings;
    private final Object[] locks = new Object[LOCK_STRIPES];
    private final RenderedDocuments documents = new RenderedDocuments();
    private final GroupWritePacer pacer;
    private Sources sources;

    GroupSync(GroupWriter writer, OperatorSettings settings) {
        this.writer = writer;
        this.settings = settings;
        this.pacer = new GroupWritePacer(settings.groupWriteInterval());
        for (int i = 0; i < LOCK_STRIPES; i++) {
            locks[i] = new Object();
        }
    }

    /** The informers, once the controller has made them. */
    void readFrom(Sources informers) {
        this.sources = informers;
    }

    /**
     * Brings the group in line with {@code members} (its bots that are not being deleted); nothing when the
     * namespace is being deleted: the namespace controller removes the group's objects before the bots, and the API
     * server refuses to create them again.
     */
    Optional<State> sync(RuntimeGroup group, List<LLMBot> members) {
        try {
            synchronized (locks[Math.floorMod(group.key().hashCode(), LOCK_STRIPES)]) {
                return Optional.of(members.isEmpty() ? remove(group) : bringInLine(group, members));
            }
        } catch (KubernetesClientException e) {
            if (ApiErrors.namespaceTerminating(e)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private State remove(RuntimeGroup group) {
        ResourceID id = new ResourceID(group.objectName(), group.namespace());
        if (sources.configMaps().get(id).isPresent() || sources.deployments().get(id).isPresent()
                || sources.services().get(id).isPresent() || sources.autoscalers().get(id).isPresent()
                || sources.disruptionBudgets().get(id).isPresent()) {
            writer.delete(group);
        }
        pacer.forget(group.key());
        return new State(GroupConfig.render(List.of(), name -> Optional.empty()), false, List.of(), null);
    }

    private State bringInLine(RuntimeGroup group, List<LLMBot> members) {
        GroupConfig config = GroupConfig.render(members,
                name -> sources.providers().get(new ResourceID(name, group.namespace())), GroupConfig.MAX_BYTES,
                documents::document);
        Set<String> served = members.stream().map(b -> b.getMetadata().getName())
                .filter(name -> !config.tooLarge().contains(name)).collect(Collectors.toSet());
        List<LLMBot> servedBots = members.stream().filter(b -> served.contains(b.getMetadata().getName())).toList();
        Optional<BotRuntimeSpec> overrides = sources.runtimes().get(new ResourceID(group.name(), group.namespace()))
                .map(BotRuntime::getSpec);
        BotRuntimeSpec custom = overrides.orElseGet(BotRuntimeSpec::new);

        ConfigMap desiredConfigMap = GroupWorkload.configMap(group, config, servedBots);
        Optional<ConfigMap> stored = writer.matching(desiredConfigMap, sources.configMaps());
        if (stored.isEmpty()) {
            Optional<Duration> wait = pacer.wait(group.key());
            if (wait.isPresent()) {
                return State.deferred(wait.get());
            }
            pacer.wrote(group.key());
            stored = Optional.of(writer.apply(desiredConfigMap, sources.configMaps()));
        }
        ConfigMap configMap = stored.get();
        writer.applyOwned(GroupWorkload.deployment(group,
                GroupWorkload.mountedSecrets(servedBots, config.providers()), settings, configMap, overrides,
                GroupWorkload.drainTimeout(overrides, config.providers())), sources.deployments());
        writer.applyOwned(GroupWorkload.service(group, configMap), sources.services());
        ResourceID objects = new ResourceID(group.objectName(), group.namespace());
        applyOrRemove(GroupScaling.autoscaler(group, custom, configMap), objects, sources.autoscalers());
        applyOrRemove(GroupScaling.disruptionBudget(group, custom, settings, configMap), objects,
                sources.disruptionBudgets());
        boolean available = sources.deployments().get(objects)
                .map(d -> d.getStatus() != null && d.getStatus().getAvailableReplicas() != null
                        && d.getStatus().getAvailableReplicas() > 0)
                .orElse(false);
        List<String> handlers = new ArrayList<>(LLMBotSpec.BUILT_IN_HANDLERS);
        overrides.map(BotRuntimeSpec::getHandlers).ifPresent(handlers::addAll);
        return new State(config, available, handlers, null);
    }

    private <R extends HasMetadata> void applyOrRemove(Optional<R> desired, ResourceID id,
                                                       InformerEventSource<R, LLMBot> cache) {
        if (desired.isPresent()) {
            writer.applyOwned(desired.get(), cache);
        } else {
            writer.removeIfPresent(id, cache);
        }
    }
}
