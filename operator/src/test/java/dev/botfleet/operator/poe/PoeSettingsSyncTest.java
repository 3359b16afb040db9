package dev.botfleet.operator.poe;

import dev.botfleet.api.LLMBot;
import dev.botfleet.api.LLMBotSpec;
import dev.botfleet.api.LLMBotStatus;
import dev.botfleet.api.PoeBotSettings;
import dev.botfleet.api.PoeSettings;
import dev.botfleet.api.SecretKeyRef;
import dev.botfleet.api.poe.PoeApi;
import dev.botfleet.testing.FakePoeApi;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The sync of one bot's settings to a recording fake of Poe's API, on a clock the test moves. */
class PoeSettingsSyncTest {

    private static final String KEY = "AbCdEfGhIjKlMnOpQrStUvWxYz012345";
    private static final java.util.function.Function<String, Optional<dev.botfleet.api.LLMProviderSpec>> NO_PROVIDERS =
            name -> Optional.empty();

    private final FakePoeApi poe = new FakePoeApi();
    private final List<ResourceID> wokenUp = new CopyOnWriteArrayList<>();
    private final MovableClock clock = new MovableClock();
    private final PoeSettingsSync sync = new PoeSettingsSync(new PoeApi(poe.botApiUrl(), Duration.ofSeconds(2)),
            wokenUp::add, clock, 1);

    @AfterEach
    void stop() {
        poe.close();
    }

    private static final class MovableClock extends Clock {
        private Instant now = Instant.parse("2026-12-02T10:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private static LLMBot bot(String name, String introduction) {
        PoeSettings poe = new PoeSettings();
        poe.setBotName("Poe-" + name);
        poe.setIntroductionMessage(introduction);
        LLMBotSpec spec = new LLMBotSpec();
        spec.setPoe(poe);
        spec.setAccessKeySecretRef(new SecretKeyRef("poe", "access-key"));
        LLMBot bot = new LLMBot();
        bot.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("team").build());
        bot.setSpec(spec);
        bot.setStatus(new LLMBotStatus());
        return bot;
    }

    private PoeSettingsSync.Report observe(LLMBot bot) {
        return sync.observe(bot, NO_PROVIDERS, () -> Optional.of(KEY)).orElseThrow();
    }

    /** Reconciles the bot until the push it started has ended, as the wake-up does. */
    private PoeSettingsSync.Report afterThePush(LLMBot bot) {
        await().atMost(Duration.ofSeconds(5)).until(() -> wokenUp.contains(ResourceID.fromResource(bot)));
        wokenUp.clear();
        return observe(bot);
    }

    @Test
    void newSettingsArePushedOnceAndThenReportedSynced() {
        LLMBot bot = bot("helper", "Hi");
        PoeSettingsSync.Report first = observe(bot);
        assertThat(first.state()).isEqualTo(PoeSettingsSync.State.SYNCING);
        assertThat(first.syncedHash()).isNull();

        PoeSettingsSync.Report done = afterThePush(bot);
        String hash = PoeBotSettings.of(bot.getSpec(), NO_PROVIDERS).hash();
        assertThat(done.state()).isEqualTo(PoeSettingsSync.State.SYNCED);
        assertThat(done.reason()).isEqualTo("Synced");
        assertThat(done.syncedHash()).isEqualTo(hash);
        assertThat(done.message()).contains(hash, "Poe-helper").doesNotContain(KEY);
        assertThat(poe.requests()).singleElement().satisfies(request ->
                assertThat(request.path()).isEqualTo("/bot/update_settings/Poe-helper/" + KEY + "/1.2"));

        bot.getStatus().setPoeSettingsHash(hash);
        assertThat(observe(bot).state()).isEqualTo(PoeSettingsSync.State.SYNCED);
        assertThat(poe.requests()).as("synced settings are not pushed again").hasSize(1);

        bot.getSpec().getPoe().setIntroductionMessage("Hello again");
        assertThat(observe(bot).state()).isEqualTo(PoeSettingsSync.State.SYNCING);
        assertThat(afterThePush(bot).syncedHash()).isEqualTo(PoeBotSettings.of(bot.getSpec(), NO_PROVIDERS).hash());
        assertThat(poe.requests()).hasSize(2);
    }

    @Test
    void aFailedPushIsTriedAgainWithBackoffAndNewSettingsAtOnce() {
        poe.enqueue(FakePoeApi.Answer.status(503, "busy"), FakePoeApi.Answer.status(503, "busy"),
                FakePoeApi.Answer.status(403, "{\"detail\": \"wrong key\"}"));
        LLMBot bot = bot("helper", "Hi");
        observe(bot);
        PoeSettingsSync.Report failed = afterThePush(bot);
        assertThat(failed.state()).isEqualTo(PoeSettingsSync.State.FAILED);
        assertThat(failed.reason()).isEqualTo("PoeUnreachable");
        assertThat(failed.message()).contains("HTTP 503", "trying again in 5 s");
        assertThat(failed.lookAgainIn()).isEqualTo(PoeSettingsSync.FIRST_RETRY);

        clock.advance(Duration.ofSeconds(4));
        assertThat(observe(bot).reason()).as("not before the retry is due").isEqualTo("PoeUnreachable");
        assertThat(poe.requests()).hasSize(1);

        clock.advance(Duration.ofSeconds(1));
        assertThat(observe(bot).state()).isEqualTo(PoeSettingsSync.State.SYNCING);
        PoeSettingsSync.Report second = afterThePush(bot);
        assertThat(second.lookAgainIn()).as("the wait doubles").isEqualTo(Duration.ofSeconds(10));

        bot.getSpec().getPoe().setIntroductionMessage("Fixed");
        assertThat(observe(bot).state()).as("new settings do not wait for the old ones' retry")
                .isEqualTo(PoeSettingsSync.State.SYNCING);
        PoeSettingsSync.Report refused = afterThePush(bot);
        assertThat(refused.reason()).isEqualTo("PoeRefused");
        assertThat(refused.message()).contains("HTTP 403", "wrong key");
        assertThat(refused.lookAgainIn()).as("counted afresh for the new settings").isEqualTo(Duration.ofSeconds(5));
        assertThat(poe.requests()).hasSize(3);
    }

    @Test
    void theWaitGrowsToFiveMinutesAndNoFurther() {
        LLMBot bot = bot("helper", "Hi");
        Duration wait = null;
        for (int attempt = 0; attempt < 10; attempt++) {
            poe.enqueue(FakePoeApi.Answer.status(500, ""));
            observe(bot);
            wait = afterThePush(bot).lookAgainIn();
            clock.advance(wait);
        }
        assertThat(wait).isEqualTo(PoeSettingsSync.LONGEST_RETRY);
    }

    @Test
    void withoutAnAccessKeyNothingIsPushedAndStatusSaysWhy() {
        LLMBot unkeyed = bot("unkeyed", "Hi");
        unkeyed.getSpec().setAccessKeySecretRef(null);
        assertThat(observe(unkeyed).reason()).isEqualTo("AccessKeyMissing");

        LLMBot missing = bot("missing", "Hi");
        PoeSettingsSync.Report report = sync.observe(missing, NO_PROVIDERS, Optional::empty).orElseThrow();
        assertThat(report.reason()).isEqualTo("AccessKeyNotFound");
        assertThat(report.message()).contains("Secret 'poe'", "key 'access-key'");
        assertThat(poe.requests()).isEmpty();
    }

    @Test
    void aBotWithoutAPoeNameHasNoSyncAtAll() {
        LLMBot bot = bot("local", "Hi");
        bot.getSpec().getPoe().setBotName(null);
        assertThat(sync.observe(bot, NO_PROVIDERS, () -> Optional.of(KEY))).isEmpty();
        assertThat(poe.requests()).isEmpty();
    }

    @Test
    void pushesWaitForAFreeSlot() {
        poe.enqueue(FakePoeApi.Answer.after(Duration.ofMillis(500)));
        LLMBot first = bot("first", "Hi");
        LLMBot second = bot("second", "Hi");
        assertThat(observe(first).reason()).isEqualTo("Syncing");
        PoeSettingsSync.Report waiting = observe(second);
        assertThat(waiting.reason()).isEqualTo("Waiting");
        assertThat(waiting.lookAgainIn()).isPositive();

        afterThePush(first);
        assertThat(observe(second).reason()).isEqualTo("Syncing");
        assertThat(afterThePush(second).state()).isEqualTo(PoeSettingsSync.State.SYNCED);
    }

    /** The Poe bots a bot's providers call are declared to Poe, and a change of provider is a change of settings. */
    @Test
    void theBotsThatProvidersCallArePushedAsDependencies() {
        dev.botfleet.api.LLMProviderSpec poeBots = new dev.botfleet.api.LLMProviderSpec();
        poeBots.setProtocol(dev.botfleet.api.LLMProviderSpec.Protocol.POE);
        poeBots.setDefaultModel("Claude-Sonnet-4");
        poeBots.setMaxRetries(1);
        LLMBot bot = bot("relay", "Hi");
        bot.getSpec().setProviderRef(new dev.botfleet.api.ProviderRef("poe-bots"));

        sync.observe(bot, name -> Optional.of(poeBots), () -> Optional.of(KEY));
        await().atMost(Duration.ofSeconds(5)).until(() -> !poe.requests().isEmpty());
        assertThat(poe.requests().get(0).body()).contains("\"server_bot_dependencies\":{\"Claude-Sonnet-4\":2}");
        assertThat(PoeBotSettings.of(bot.getSpec(), name -> Optional.of(poeBots)).hash())
                .isNotEqualTo(PoeBotSettings.of(bot.getSpec(), NO_PROVIDERS).hash());
    }

    @Test
    void dependenciesBeyondPoesLimitAreNotPushed() {
        LLMBot bot = bot("greedy", "Hi");
        bot.getSpec().getPoe().setServerBotDependencies(java.util.Map.of("Web-Search", 60, "GPT-4o", 41));
        PoeSettingsSync.Report report = observe(bot);
        assertThat(report.state()).isEqualTo(PoeSettingsSync.State.FAILED);
        assertThat(report.reason()).isEqualTo("TooManyBotCalls");
        assertThat(report.message()).contains("101 calls per message", "Poe allows 100");
        assertThat(poe.requests()).isEmpty();
    }
}
