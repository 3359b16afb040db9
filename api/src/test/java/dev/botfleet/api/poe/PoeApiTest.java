package dev.botfleet.api.poe;

import dev.botfleet.api.LLMBotSpec;
import dev.botfleet.api.PoeBotSettings;
import dev.botfleet.api.PoeSettings;
import dev.botfleet.testing.FakePoeApi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Settings pushed to a recording fake of Poe's API: the call fastapi_poe's client makes, and every way it ends. */
class PoeApiTest {

    private static final String KEY = "AbCdEfGhIjKlMnOpQrStUvWxYz012345";

    private final FakePoeApi poe = new FakePoeApi();
    private final PoeApi api = new PoeApi(poe.botApiUrl(), Duration.ofSeconds(2));

    @AfterEach
    void stop() {
        poe.close();
    }

    private static PoeBotSettings settings() {
        PoeSettings poe = new PoeSettings();
        poe.setIntroductionMessage("Hello!");
        LLMBotSpec bot = new LLMBotSpec();
        bot.setPoe(poe);
        return PoeBotSettings.of(bot, name -> java.util.Optional.empty());
    }

    @Test
    void theSettingsArePostedToUpdateSettingsWithTheNameTheKeyAndTheProtocolVersion() {
        assertThat(api.updateSettings("My-Bot", KEY, settings()).join()).isEqualTo(new PoeApi.Outcome.Synced());

        FakePoeApi.Request request = poe.requests().get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/bot/update_settings/My-Bot/" + KEY + "/1.2");
        assertThat(request.header("Content-Type")).isEqualTo("application/json");
        assertThat(request.body()).isEqualTo(settings().json());
    }

    @Test
    void aKeyThatNeedsEscapingIsEscapedInThePath() {
        api.updateSettings("bot", "a/b c?d", settings()).join();
        assertThat(poe.requests().get(0).path()).isEqualTo("/bot/update_settings/bot/a%2Fb%20c%3Fd/1.2");
    }

    @Test
    void aRefusalSaysWhatPoeSaidWithoutTheKey() {
        poe.enqueue(FakePoeApi.Answer.status(403, "{\"detail\": \"invalid access key " + KEY + "\"}"));
        PoeApi.Outcome outcome = api.updateSettings("bot", KEY, settings()).join();

        assertThat(outcome).isInstanceOfSatisfying(PoeApi.Outcome.Refused.class, refused -> {
            assertThat(refused.status()).isEqualTo(403);
            assertThat(refused.explanation()).contains("HTTP 403", "invalid access key [redacted]")
                    .doesNotContain(KEY);
        });
    }

    @Test
    void aFailingOrSilentOrAbsentPoeIsUnreachable() throws Exception {
        poe.enqueue(FakePoeApi.Answer.status(502, ""));
        assertThat(api.updateSettings("bot", KEY, settings()).join()).isEqualTo(
                new PoeApi.Outcome.Unreachable("HTTP 502"));

        poe.enqueue(FakePoeApi.Answer.after(Duration.ofSeconds(5)));
        assertThat(api.updateSettings("bot", KEY, settings()).join()).isEqualTo(
                new PoeApi.Outcome.Unreachable("no answer within the timeout"));

        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        PoeApi nowhere = new PoeApi("http://127.0.0.1:" + closed + "/bot", Duration.ofSeconds(2));
        assertThat(nowhere.baseUrl()).endsWith("/bot/");
        assertThat(nowhere.updateSettings("bot", KEY, settings()).join())
                .isInstanceOfSatisfying(PoeApi.Outcome.Unreachable.class, unreachable ->
                        assertThat(unreachable.explanation()).startsWith("connection failed").doesNotContain(KEY));
    }
}
