package dev.botfleet.operator.reconcile;

import dev.botfleet.api.BotRuntime;
import dev.botfleet.api.Condition;
import dev.botfleet.api.LLMBot;
import dev.botfleet.api.LLMBotStatus;
import dev.botfleet.api.LLMProvider;
import dev.botfleet.api.SecretKeyRef;
import dev.botfleet.api.poe.PoeApi;
import dev.botfleet.operator.OperatorSettings;
import dev.botfleet.operator.desired.RuntimeGroup;
import dev.botfleet.operator.poe.PoeSettingsSync;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClientException;
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

import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Reconciles each LLMBot: makes sure its runtime group has a BotRuntime ({@link DefaultRuntimes}), judges the bot's
 * readiness from what the group's last reconcile made of it ({@link GroupOutcomes}, {@link BotReadiness}), keeps a
 * bot with {@code spec.poe.botName} synced to Poe ({@link PoeSettingsSync}), then writes the bot's status. The
 * group's objects are the {@link GroupReconciler}'s alone. A change to a provider or a labelled Secret wakes exactly
 * the bots that depend on it, through indexes on the bot cache; so does a group outcome that changes a bot's verdict,
 * and a push to Poe that has ended.
 */
@ControllerConfiguration(name = "llmbot")
public class LLMBotReconciler implements Reconciler<LLMBot>, Cleaner<LLMBot> {

    static final String BY_SECRET = "llmbot-by-secret";
    /** A push to Poe: fastapi_poe's client gives it httpx's default of 5 s; a little more here. */
    private static final Duration POE_TIMEOUT = Duration.ofSeconds(10);
    private static final int CONCURRENT_PUSHES = 4;
    /**
     * How long a bot waits for its group's reconcile before it looks again; the group's outcome wakes it sooner.
     * The look again covers an outcome published before this controller's event sources started.
     */
    private static final Duration GROUP_PENDING_RECHECK = Duration.ofSeconds(5);

    private final GroupOutcomes outcomes;
    private final SecretKeys secrets;
    private final EventRecorder events;
    private final OperatorSettings settings;
    private final PoeSettingsSync poe;

    private InformerEventSource<LLMProvider, LLMBot> providers;
    private InformerEventSource<BotRuntime, LLMBot> runtimes;
    private final SimpleInboundEventSource<LLMBot> pushesEnded = new SimpleInboundEventSource<>("poe-settings");

    public LLMBotReconciler(GroupOutcomes outcomes, SecretKeys secrets, EventRecorder events,
                            OperatorSettings settings) {
        this.outcomes = outcomes;
        this.secrets = secrets;
        this.events = events;
        this.settings = settings;
        this.poe = new PoeSettingsSync(new PoeApi(settings.poeApiUrl(), POE_TIMEOUT), pushesEnded::propagateEvent,
                Clock.systemUTC(), CONCURRENT_PUSHES);
    }

    @Override
    public List<EventSource<?, LLMBot>> prepareEventSources(EventSourceContext<LLMBot> context) {
        IndexedResourceCache<LLMBot> bots = context.getPrimaryCache();
        context.getPrimaryCache().addIndexer(BotIndexes.BY_GROUP, BotIndexes::group);
        context.getPrimaryCache().addIndexer(BotIndexes.BY_PROVIDER, BotIndexes::providers);
        context.getPrimaryCache().addIndexer(BY_SECRET, bot -> {
            SecretKeyRef ref = bot.getSpec().getAccessKeySecretRef();
            return ref == null ? List.of() : List.of(bot.getMetadata().getNamespace() + "/" + ref.getName());
        });

        providers = new InformerEventSource<>(InformerEventSourceConfiguration.from(LLMProvider.class, LLMBot.class)
                .withName("providers")
                .withSecondaryToPrimaryMapper(byIndex(bots, BotIndexes.BY_PROVIDER, BotIndexes::key))
                .build(), context);
        // Only a BotRuntime's deletion concerns the bots directly: they make a new one. Whatever else changes in a
        // group reaches them as its outcome.
        runtimes = new InformerEventSource<>(InformerEventSourceConfiguration.from(BotRuntime.class, LLMBot.class)
                .withName("botruntimes")
                .withOnAddFilter(runtime -> false)
                .withOnUpdateFilter((changed, old) -> false)
                .withSecondaryToPrimaryMapper(byIndex(bots, BotIndexes.BY_GROUP, BotIndexes::key))
                .build(), context);
        List<EventSource<?, LLMBot>> sources = new ArrayList<>(List.of(providers, runtimes, outcomes.changes(),
                pushesEnded));
        if (settings.watchSecrets()) {
            sources.add(new InformerEventSource<>(InformerEventSourceConfiguration.from(Secret.class, LLMBot.class)
                    .withName("labelled-secrets")
                    .withLabelSelector(settings.secretSelector())
                    .withSecondaryToPrimaryMapper(byIndex(bots, BY_SECRET, BotIndexes::key))
                    .build(), context));
        }
        return sources;
    }

    @Override
    public UpdateControl<LLMBot> reconcile(LLMBot bot, Context<LLMBot> context) {
        RuntimeGroup group = RuntimeGroup.of(bot);
        if (!ensureRuntime(group, context)) {
            return UpdateControl.noUpdate();
        }
        Optional<GroupOutcomes.Outcome> outcome = outcomes.of(group).filter(o -> o.judges(bot));
        if (outcome.isEmpty()) {
            return UpdateControl.<LLMBot>noUpdate().rescheduleAfter(GROUP_PENDING_RECHECK);
        }
        String namespace = bot.getMetadata().getNamespace();
        GroupOutcomes.Failure failure = outcome.get().failure();
        BotReadiness.Verdict verdict = failure != null ? new BotReadiness.Verdict(failure.reason(), failure.message())
                : BotReadiness.of(bot, group, outcome.get().view(),
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

    /**
     * Makes the group's BotRuntime if it has none; false when the namespace is being deleted and takes no new
     * objects. Bots of a new group race to make it: the ones that lose find it made.
     */
    private boolean ensureRuntime(RuntimeGroup group, Context<LLMBot> context) {
        ResourceID id = group.runtimeId();
        if (runtimes.get(id).isPresent()) {
            return true;
        }
        try {
            runtimes.handleRecentResourceCreate(id, DefaultRuntimes.create(context.getClient(), group));
        } catch (KubernetesClientException e) {
            if (ApiErrors.namespaceTerminating(e)) {
                return false;
            }
            if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                throw e;
            }
        }
        return true;
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
     * A reconcile that failed (the API server refused the group's BotRuntime: RBAC, a quota, an admission policy)
     * shows on the bot's status and as an Event, not only in the operator's log; the reconcile is retried with
     * back-off.
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
        // A bot is gone once its group no longer serves it: the group's outcome without it wakes it again. A group
        // whose BotRuntime is gone (its namespace being deleted) has no reconcile left to say so.
        boolean stillServed = outcomes.lastGroupOf(bot.getMetadata().getNamespace(), bot.getMetadata().getName())
                .filter(group -> runtimes.get(group.runtimeId()).isPresent()).isPresent();
        return stillServed ? DeleteControl.noFinalizerRemoval().rescheduleAfter(GROUP_PENDING_RECHECK)
                : DeleteControl.defaultDelete();
    }

    private static <R extends HasMetadata> SecondaryToPrimaryMapper<R> byIndex(
            IndexedResourceCache<LLMBot> bots, String index, java.util.function.Function<R, String> key) {
        return resource -> bots.byIndex(index, key.apply(resource)).stream()
                .map(ResourceID::fromResource).collect(Collectors.toSet());
    }
}
