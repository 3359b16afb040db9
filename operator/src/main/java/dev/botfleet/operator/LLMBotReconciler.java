package dev.botfleet.operator;

import dev.botfleet.api.BotRuntime;
import dev.botfleet.api.Condition;
import dev.botfleet.api.GroupConfig;
import dev.botfleet.api.LLMBot;
import dev.botfleet.api.LLMBotStatus;
import dev.botfleet.api.LLMProvider;
import dev.botfleet.api.SecretKeyRef;
import dev.botfleet.api.poe.PoeApi;
import dev.botfleet.operator.poe.PoeSettingsSync;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Reconciles each LLMBot: brings its whole runtime group in line with every bot of the group in the cache
 * ({@link GroupSync}), judges the bot's readiness from what it found ({@link BotReadiness}), keeps a bot with
 * {@code spec.poe.botName} synced to Poe ({@link PoeSettingsSync}), then writes the bot's status. A change to a
 * provider, a labelled Secret or a group object wakes exactly the bots that depend on it, through indexes on the bot
 * cache; a push to Poe that has ended wakes its bot.
 */
@ControllerConfiguration(name = "llmbot")
public class LLMBotReconciler implements Reconciler<LLMBot>, Cleaner<LLMBot> {

    static final String BY_GROUP = "llmbot-by-group";
    static final String BY_PROVIDER = "llmbot-by-provider";
    static final String BY_SECRET = "llmbot-by-secret";
    /** A push to Poe: fastapi_poe's client gives it httpx's default of 5 s; a little more here. */
    private static final Duration POE_TIMEOUT = Duration.ofSeconds(10);
    private static final int CONCURRENT_PUSHES = 4;

    private final GroupSync groups;
    private final SecretKeys secrets;
    private final EventRecorder events;
    private final OperatorSettings settings;
    private final PoeSettingsSync poe;

    private InformerEventSource<LLMProvider, LLMBot> providers;
    private final SimpleInboundEventSource<LLMBot> pushesEnded = new SimpleInboundEventSource<>("poe-settings");

    public LLMBotReconciler(GroupWriter writer, SecretKeys secrets, EventRecorder events, OperatorSettings settings) {
        this.groups = new GroupSync(writer, settings);
        this.secrets = secrets;
        this.events = events;
        this.settings = settings;
        this.poe = new PoeSettingsSync(new PoeApi(settings.poeApiUrl(), POE_TIMEOUT), pushesEnded::propagateEvent,
                Clock.systemUTC(), CONCURRENT_PUSHES);
    }

    @Override
    public List<EventSource<?, LLMBot>> prepareEventSources(EventSourceContext<LLMBot> context) {
        IndexedResourceCache<LLMBot> bots = context.getPrimaryCache();
        context.getPrimaryCache().addIndexer(BY_GROUP, bot -> List.of(RuntimeGroup.of(bot).key()));
        context.getPrimaryCache().addIndexer(BY_PROVIDER, bot -> GroupConfig.providerNames(bot).stream()
                .map(name -> bot.getMetadata().getNamespace() + "/" + name).distinct().toList());
        context.getPrimaryCache().addIndexer(BY_SECRET, bot -> {
            SecretKeyRef ref = bot.getSpec().getAccessKeySecretRef();
            return ref == null ? List.of() : List.of(bot.getMetadata().getNamespace() + "/" + ref.getName());
        });

        providers = new InformerEventSource<>(InformerEventSourceConfiguration.from(LLMProvider.class, LLMBot.class)
                .withName("providers")
                .withSecondaryToPrimaryMapper(byIndex(bots, BY_PROVIDER, LLMBotReconciler::namespacedName))
                .build(), context);
        InformerEventSource<BotRuntime, LLMBot> botRuntimes = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(BotRuntime.class, LLMBot.class)
                .withName("botruntimes")
                .withSecondaryToPrimaryMapper(byIndex(bots, BY_GROUP, LLMBotReconciler::namespacedName))
                .build(), context);
        InformerEventSource<ConfigMap, LLMBot> configMaps = groupObjects(ConfigMap.class, "configmaps", context);
        InformerEventSource<Deployment, LLMBot> deployments = groupObjects(Deployment.class, "deployments", context);
        InformerEventSource<Service, LLMBot> services = groupObjects(Service.class, "services", context);
        InformerEventSource<HorizontalPodAutoscaler, LLMBot> autoscalers = groupObjects(HorizontalPodAutoscaler.class,
                "autoscalers", context);
        InformerEventSource<PodDisruptionBudget, LLMBot> disruptionBudgets = groupObjects(PodDisruptionBudget.class,
                "disruptionbudgets", context);
        groups.readFrom(new GroupSync.Sources(providers, botRuntimes, configMaps, deployments, services,
                autoscalers, disruptionBudgets));
        List<EventSource<?, LLMBot>> sources = new ArrayList<>(List.of(providers, botRuntimes, configMaps,
                deployments, services, autoscalers, disruptionBudgets, pushesEnded));
        if (settings.watchSecrets()) {
            sources.add(new InformerEventSource<>(InformerEventSourceConfiguration.from(Secret.class, LLMBot.class)
                    .withName("labelled-secrets")
                    .withLabelSelector(settings.secretSelector())
                    .withSecondaryToPrimaryMapper(byIndex(bots, BY_SECRET, LLMBotReconciler::namespacedName))
                    .build(), context));
        }
        return sources;
    }

    private <R extends HasMetadata> InformerEventSource<R, LLMBot> groupObjects(
            Class<R> type, String name, EventSourceContext<LLMBot> context) {
        return new InformerEventSource<>(InformerEventSourceConfiguration.from(type, LLMBot.class)
                .withName(name)
                .withLabelSelector(RuntimeGroup.MANAGED_SELECTOR)
                .withSecondaryToPrimaryMapper(byIndex(context.getPrimaryCache(), BY_GROUP, object ->
                        object.getMetadata().getNamespace() + "/"
                                + object.getMetadata().getLabels().get(RuntimeGroup.GROUP_LABEL)))
                .build(), context);
    }

    @Override
    public UpdateControl<LLMBot> reconcile(LLMBot bot, Context<LLMBot> context) {
        RuntimeGroup group = RuntimeGroup.of(bot);
        Optional<GroupSync.State> synced = groups.sync(group, members(group, context.getPrimaryCache(), null));
        if (synced.isEmpty()) {
            return UpdateControl.noUpdate();
        }
        GroupSync.State state = synced.get();
        if (state.writeDeferredFor() != null) {
            return UpdateControl.<LLMBot>noUpdate().rescheduleAfter(state.writeDeferredFor());
        }
        String namespace = bot.getMetadata().getNamespace();
        BotReadiness.Verdict verdict = BotReadiness.of(bot, group,
                state.view(),
                name -> providers.get(new ResourceID(name, namespace)),
                key -> secrets.check(namespace, key) == SecretKeys.Presence.PRESENT);
        Condition ready = Conditions.ready(verdict.reason(), verdict.message(), bot.getMetadata().getGeneration(),
                bot.getStatus());
        Optional<PoeSettingsSync.Report> poeSettings = poeSettings(bot);
        LLMBotStatus status = status(bot, group, ready, poeSettings.orElse(null));
        poeSettings.ifPresent(report -> recordPoeEvent(bot, report));
        UpdateControl<LLMBot> control = StatusWrites.update(bot, status, verdict.reason(), events, context);
        // The access key Secret may carry no watch label, and then sends no events: look again later.
        Duration lookAgain = verdict.reason().recheck() ? settings.recheckInterval() : null;
        Duration poeAgain = poeSettings.map(PoeSettingsSync.Report::lookAgainIn).orElse(null);
        if (poeAgain != null && (lookAgain == null || poeAgain.compareTo(lookAgain) < 0)) {
            lookAgain = poeAgain;
        }
        return lookAgain == null ? control : control.rescheduleAfter(lookAgain);
    }

    /** Where the bot's settings are on Poe; empty for a bot without spec.poe.botName. */
    private Optional<PoeSettingsSync.Report> poeSettings(LLMBot bot) {
        if (bot.getSpec().getPoe() == null || bot.getSpec().getPoe().getBotName() == null) {
            poe.forget(bot);
            return Optional.empty();
        }
        if (!settings.poeSettingsSync()) {
            return Optional.of(new PoeSettingsSync.Report(PoeSettingsSync.State.FAILED, "SyncOff", "the operator "
                    + "does not push settings to Poe (BOTFLEET_POE_SETTINGS_SYNC=false, chart value "
                    + "poe.settingsSync.enabled); push them from Poe's settings page or with botfleet sync-settings",
                    bot.getStatus() == null ? null : bot.getStatus().getPoeSettingsHash(), null));
        }
        String namespace = bot.getMetadata().getNamespace();
        return poe.observe(bot, name -> providers.get(new ResourceID(name, namespace)).map(LLMProvider::getSpec),
                () -> secrets.value(namespace, bot.getSpec().getAccessKeySecretRef()));
    }

    /** An Event when the sync turns synced, or turns to a failure it was not in before. */
    private void recordPoeEvent(LLMBot bot, PoeSettingsSync.Report report) {
        Condition previous = Conditions.find(bot.getStatus(), Condition.POE_SETTINGS_SYNCED);
        if (previous != null && report.reason().equals(previous.getReason())) {
            return;
        }
        if (report.state() == PoeSettingsSync.State.SYNCED) {
            events.normal(bot, "PoeSettingsSynced", report.message());
        } else if (report.state() == PoeSettingsSync.State.FAILED) {
            events.warning(bot, "PoeSettingsNotSynced", report.message());
        }
    }

    /**
     * A reconcile that failed (the API server refused a write: RBAC, a quota, an admission policy) shows on the
     * bot's status and as an Event, not only in the operator's log; the reconcile is retried with back-off.
     */
    @Override
    public ErrorStatusUpdateControl<LLMBot> updateErrorStatus(LLMBot bot, Context<LLMBot> context, Exception e) {
        RuntimeGroup group = RuntimeGroup.of(bot);
        Reason reason = ApiErrors.refused(e) ? Reason.WRITE_REFUSED : Reason.RECONCILE_FAILED;
        Condition failed = Conditions.ready(reason, "runtime group '" + group.name() + "' could not be brought up "
                + "to date: " + ApiErrors.message(e) + " (retrying)", bot.getMetadata().getGeneration(),
                bot.getStatus());
        LLMBotStatus status = status(bot, group, failed, null);
        // What is known of the settings on Poe stays as it was.
        Condition poeSynced = Conditions.find(bot.getStatus(), Condition.POE_SETTINGS_SYNCED);
        if (poeSynced != null) {
            status.getConditions().add(poeSynced);
            status.setPoeSettingsHash(bot.getStatus().getPoeSettingsHash());
        }
        StatusWrites.update(bot, status, reason, events, context);
        return ErrorStatusUpdateControl.noStatusUpdate();
    }

    private static LLMBotStatus status(LLMBot bot, RuntimeGroup group, Condition ready,
                                       PoeSettingsSync.Report poeSettings) {
        LLMBotStatus status = new LLMBotStatus();
        status.setObservedGeneration(bot.getMetadata().getGeneration());
        status.setConditions(Conditions.only(ready));
        status.setRuntime(group.name());
        status.setEndpoint(group.endpoint(bot.getMetadata().getName()));
        if (poeSettings != null) {
            status.getConditions().add(Conditions.of(Condition.POE_SETTINGS_SYNCED, switch (poeSettings.state()) {
                case SYNCED -> Condition.TRUE;
                case SYNCING -> Condition.UNKNOWN;
                case FAILED -> Condition.FALSE;
            }, poeSettings.reason(), poeSettings.message(), bot.getMetadata().getGeneration(), bot.getStatus()));
            status.setPoeSettingsHash(poeSettings.syncedHash());
        }
        return status;
    }

    @Override
    public DeleteControl cleanup(LLMBot bot, Context<LLMBot> context) {
        poe.forget(bot);
        RuntimeGroup group = RuntimeGroup.of(bot);
        Optional<GroupSync.State> state = groups.sync(group, members(group, context.getPrimaryCache(),
                bot.getMetadata().getName()));
        return state.isPresent() && state.get().writeDeferredFor() != null
                ? DeleteControl.noFinalizerRemoval().rescheduleAfter(state.get().writeDeferredFor())
                : DeleteControl.defaultDelete();
    }

    /** The group's bots that stay: not being deleted, and not {@code leaving}. */
    private static List<LLMBot> members(RuntimeGroup group, IndexedResourceCache<LLMBot> cache, String leaving) {
        return cache.byIndex(BY_GROUP, group.key()).stream()
                .filter(b -> b.getMetadata().getDeletionTimestamp() == null)
                .filter(b -> !b.getMetadata().getName().equals(leaving))
                .sorted(Comparator.comparing(b -> b.getMetadata().getName()))
                .toList();
    }

    private static String namespacedName(HasMetadata resource) {
        return resource.getMetadata().getNamespace() + "/" + resource.getMetadata().getName();
    }

    private static <R extends HasMetadata> SecondaryToPrimaryMapper<R> byIndex(
            IndexedResourceCache<LLMBot> bots, String index, java.util.function.Function<R, String> key) {
        return resource -> bots.byIndex(index, key.apply(resource)).stream()
                .map(ResourceID::fromResource).collect(Collectors.toSet());
    }
}
