package dev.botfleet.operator.poe;

import dev.botfleet.api.LLMBot;
import dev.botfleet.api.LLMProviderSpec;
import dev.botfleet.api.PoeBotSettings;
import dev.botfleet.api.poe.PoeApi;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Keeps each LLMBot's settings on Poe. When the settings a bot answers (their hash) differ from those last synced
 * ({@code status.poeSettingsHash}), they are pushed to Poe's {@code update_settings} with the bot's access key: off
 * the reconciler's threads, a few at a time, and the bot's reconcile is woken when the push has ended, so that a slow
 * or unreachable Poe never holds up the groups. A failed push is tried again after 5 s, doubling up to 5 minutes; new
 * settings start over at once. Whatever Poe does, the bot keeps serving: this only reports.
 */
public final class PoeSettingsSync {

    /** What the bot's {@code PoeSettingsSynced} condition says. */
    public enum State {
        /** Poe has the settings the bot answers: condition True. */
        SYNCED,
        /** A push is under way or waiting for its turn: condition Unknown. */
        SYNCING,
        /** The push failed or cannot be made: condition False. */
        FAILED
    }

    /**
     * @param syncedHash  the hash of the settings Poe has, as far as the operator knows, for status
     * @param lookAgainIn when the bot should be reconciled again for the sync's sake, or null
     */
    public record Report(State state, String reason, String message, String syncedHash, Duration lookAgainIn) {
    }

    static final Duration FIRST_RETRY = Duration.ofSeconds(5);
    static final Duration LONGEST_RETRY = Duration.ofMinutes(5);
    private static final Duration WAIT_FOR_A_SLOT = Duration.ofSeconds(2);

    private final PoeApi api;
    private final Consumer<ResourceID> wakeUp;
    private final Clock clock;
    private final Semaphore slots;
    private final Map<ResourceID, Push> pushes = new ConcurrentHashMap<>();

    /**
     * @param wakeUp     reconciles the bot again; called when a push has ended
     * @param concurrent most pushes under way at once
     */
    public PoeSettingsSync(PoeApi api, Consumer<ResourceID> wakeUp, Clock clock, int concurrent) {
        this.api = api;
        this.wakeUp = wakeUp;
        this.clock = clock;
        this.slots = new Semaphore(concurrent);
    }

    /**
     * The state of the bot's settings on Poe, starting a push if they need one; empty for a bot without
     * {@code spec.poe.botName}.
     *
     * @param providers the bot's namespace's providers by name, for the Poe bots it calls
     * @param accessKey the bot's Poe access key, empty when its Secret or key is missing; read only when needed
     */
    public Optional<Report> observe(LLMBot bot, Function<String, Optional<LLMProviderSpec>> providers,
                                    Supplier<Optional<String>> accessKey) {
        String botName = bot.getSpec().getPoe() == null ? null : bot.getSpec().getPoe().getBotName();
        ResourceID id = ResourceID.fromResource(bot);
        if (botName == null) {
            pushes.remove(id);
            return Optional.empty();
        }
        PoeBotSettings settings = PoeBotSettings.of(bot.getSpec(), providers);
        String hash = settings.hash();
        String synced = bot.getStatus() == null ? null : bot.getStatus().getPoeSettingsHash();
        if (hash.equals(synced)) {
            pushes.remove(id);
            return Optional.of(synced(botName, hash));
        }
        Push push = pushes.get(id);
        if (push != null && push.hash().equals(hash)) {
            Optional<Report> known = push.report(botName, synced, clock.instant());
            if (known.isPresent()) {
                return known;
            }
        }
        Optional<String> tooManyCalls = settings.callLimitExceeded();
        if (tooManyCalls.isPresent()) {
            return Optional.of(new Report(State.FAILED, "TooManyBotCalls", tooManyCalls.get(), synced, null));
        }
        if (bot.getSpec().getAccessKeySecretRef() == null) {
            return Optional.of(new Report(State.FAILED, "AccessKeyMissing", "spec.poe.botName is set, but Poe takes "
                    + "settings only with the bot's access key: set spec.accessKeySecretRef", synced, null));
        }
        Optional<String> key = accessKey.get();
        if (key.isEmpty()) {
            return Optional.of(new Report(State.FAILED, "AccessKeyNotFound", "the access key in Secret '"
                    + bot.getSpec().getAccessKeySecretRef().getName() + "', key '"
                    + bot.getSpec().getAccessKeySecretRef().getKey() + "', is not there; the settings are pushed "
                    + "once it is", synced, null));
        }
        if (!slots.tryAcquire()) {
            return Optional.of(new Report(State.SYNCING, "Waiting", "waiting for a free slot to push settings "
                    + hash + " to Poe", synced, WAIT_FOR_A_SLOT));
        }
        Push started = new Push(hash, push == null || !push.hash().equals(hash) ? 0 : push.failures());
        pushes.put(id, started);
        api.updateSettings(botName, key.get(), settings).whenComplete((outcome, failure) -> {
            slots.release();
            started.finish(outcome == null ? new PoeApi.Outcome.Unreachable(String.valueOf(failure)) : outcome,
                    clock.instant());
            wakeUp.accept(id);
        });
        return Optional.of(started.syncing(botName, synced));
    }

    /** Forgets what it knew of a bot that is gone. */
    public void forget(LLMBot bot) {
        pushes.remove(ResourceID.fromResource(bot));
    }

    private Report synced(String botName, String hash) {
        return new Report(State.SYNCED, "Synced", "settings " + hash + " are on Poe as bot '" + botName + "'" + " ("
                + api.baseUrl() + ")", hash, null);
    }

    /** One push of one hash, and how the last one ended. */
    private final class Push {

        private final String hash;
        private volatile int failures;
        private volatile PoeApi.Outcome outcome;
        private volatile Instant retryAt;

        Push(String hash, int failures) {
            this.hash = hash;
            this.failures = failures;
        }

        String hash() {
            return hash;
        }

        int failures() {
            return failures;
        }

        void finish(PoeApi.Outcome ended, Instant now) {
            if (!(ended instanceof PoeApi.Outcome.Synced)) {
                failures++;
                long factor = 1L << Math.min(failures - 1, 16);
                Duration wait = FIRST_RETRY.multipliedBy(factor);
                retryAt = now.plus(wait.compareTo(LONGEST_RETRY) > 0 ? LONGEST_RETRY : wait);
            }
            outcome = ended;
        }

        Report syncing(String botName, String synced) {
            return new Report(State.SYNCING, "Syncing", "pushing settings " + hash + " to Poe bot '" + botName + "'",
                    synced, null);
        }

        /** What is known of this push; empty when it is time to push again. */
        Optional<Report> report(String botName, String synced, Instant now) {
            PoeApi.Outcome ended = outcome;
            if (ended == null) {
                return Optional.of(syncing(botName, synced));
            }
            if (ended instanceof PoeApi.Outcome.Synced) {
                return Optional.of(PoeSettingsSync.this.synced(botName, hash));
            }
            if (!now.isBefore(retryAt)) {
                return Optional.empty();
            }
            Duration wait = Duration.between(now, retryAt);
            String why = ended instanceof PoeApi.Outcome.Refused refused ? "Poe refused settings " + hash + " for bot '"
                    + botName + "': " + refused.explanation()
                    : "cannot reach Poe at " + api.baseUrl() + " to push settings " + hash + ": "
                    + ((PoeApi.Outcome.Unreachable) ended).explanation();
            return Optional.of(new Report(State.FAILED, ended instanceof PoeApi.Outcome.Refused ? "PoeRefused"
                    : "PoeUnreachable", why + "; trying again in " + wait.toSeconds() + " s", synced, wait));
        }
    }
}
