package dev.botfleet.operator;

import dev.botfleet.api.Condition;
import dev.botfleet.api.LLMBot;
import dev.botfleet.api.PoeBotSettings;
import dev.botfleet.operator.reconcile.Conditions;
import dev.botfleet.testing.FakePoeApi;
import io.fabric8.kubernetes.api.model.Event;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The operator keeping bots' settings on Poe, against a recording fake of Poe's API. */
class PoeSettingsSyncReconcileTest extends OperatorTestBase {

    private static final FakePoeApi POE = new FakePoeApi();

    @Override
    protected Map<String, String> environment() {
        return Map.of("BOTFLEET_POE_API_URL", POE.botApiUrl());
    }

    @AfterAll
    static void stopPoe() {
        POE.close();
    }

    @BeforeEach
    void resetPoe() {
        POE.reset();
    }

    private LLMBot poeBot(String name, String introduction) {
        secret("openai", Map.of("api-key", OPENAI_KEY));
        secret("poe-" + name, Map.of("access-key", ACCESS_KEY));
        provider("openai", "openai");
        return bot(name, "openai", "default", """
                accessKeySecretRef: {name: poe-%s, key: access-key}
                poe: {botName: Poe-%s, introductionMessage: "%s"}""".formatted(name, name, introduction));
    }

    private Condition synced(String bot) {
        LLMBot current = getBot(bot);
        return current == null ? null : Conditions.find(current.getStatus(), Condition.POE_SETTINGS_SYNCED);
    }

    private void awaitSynced(String bot, String reason) {
        await().atMost(Duration.ofSeconds(15)).until(() -> synced(bot) != null && reason.equals(synced(bot).getReason()));
    }

    private List<Event> events(String bot) {
        return client.v1().events().inNamespace(NAMESPACE).list().getItems().stream()
                .filter(e -> e.getInvolvedObject().getName().equals(bot)).toList();
    }

    @Test
    void aBotsSettingsArePushedOnceWithItsAccessKeyAndPushedAgainWhenTheyChange() throws InterruptedException {
        poeBot("helper", "Hi!");
        awaitSynced("helper", "Synced");

        LLMBot bot = getBot("helper");
        String hash = PoeBotSettings.of(bot.getSpec(), name -> java.util.Optional.empty()).hash();
        assertThat(bot.getStatus().getPoeSettingsHash()).isEqualTo(hash);
        assertThat(synced("helper").getStatus()).isEqualTo(Condition.TRUE);
        assertThat(POE.requests()).singleElement().satisfies(request -> {
            assertThat(request.path()).isEqualTo("/bot/update_settings/Poe-helper/" + ACCESS_KEY + "/1.2");
            assertThat(request.body()).isEqualTo(PoeBotSettings.of(bot.getSpec(), name -> java.util.Optional.empty()).json());
        });
        assertThat(events("helper")).anySatisfy(event -> {
            assertThat(event.getReason()).isEqualTo("PoeSettingsSynced");
            assertThat(event.getType()).isEqualTo("Normal");
        });
        String status = client.resources(LLMBot.class).inNamespace(NAMESPACE).withName("helper").get()
                .getStatus().toString() + events("helper");
        assertThat(status).doesNotContain(ACCESS_KEY);

        writesUntilQuiet();
        assertThat(POE.requests()).as("settings Poe has are not pushed again").hasSize(1);

        bot.getSpec().getPoe().setIntroductionMessage("Hello again!");
        client.resource(bot).update();
        await().atMost(Duration.ofSeconds(15)).until(() -> !hash.equals(getBot("helper").getStatus()
                .getPoeSettingsHash()));
        assertThat(POE.requests()).hasSize(2);
        assertThat(POE.requests().get(1).body()).contains("Hello again!");
    }

    @Test
    void aPoeThatFailsLeavesTheBotServingAndShowsOnItsStatus() {
        POE.enqueue(FakePoeApi.Answer.status(500, "down"));
        poeBot("helper", "Hi!");
        await().atMost(Duration.ofSeconds(15)).until(() -> deployment("default") != null);
        markAvailable("default");
        awaitSynced("helper", "PoeUnreachable");

        // The bot serves whatever Poe does: Ready comes with the group's next outcome, Poe's failure or not.
        awaitBot("helper", "Ready");
        assertThat(synced("helper").getStatus()).isEqualTo(Condition.FALSE);
        assertThat(synced("helper").getMessage()).contains("HTTP 500", "trying again");
        assertThat(events("helper")).anySatisfy(event ->
                assertThat(event.getReason()).isEqualTo("PoeSettingsNotSynced"));

        awaitSynced("helper", "Synced");
        assertThat(POE.requests()).as("tried again after the backoff").hasSize(2);
    }

    @Test
    void aBotWithoutAccessKeySaysWhySettingsCannotBePushed() {
        secret("openai", Map.of("api-key", OPENAI_KEY));
        provider("openai", "openai");
        bot("keyless", "openai", "default", "poe: {botName: Keyless}");
        awaitSynced("keyless", "AccessKeyMissing");
        assertThat(synced("keyless").getMessage()).contains("spec.accessKeySecretRef");
        assertThat(POE.requests()).isEmpty();
    }
}
