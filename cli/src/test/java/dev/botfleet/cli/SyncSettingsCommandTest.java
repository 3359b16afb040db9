package dev.botfleet.cli;

import dev.botfleet.testing.FakePoeApi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code botfleet sync-settings} against a recording fake of Poe's API. */
class SyncSettingsCommandTest {

    private static final String KEY = "cliAccessKeyForSettingsSync01234";
    private static final String BOTS = """
            apiVersion: botfleet.dev/v1alpha1
            kind: LLMBot
            metadata: {name: greeter}
            spec:
              handler: echo
              accessKeySecretRef: {name: poe-greeter-that-is-not-set, key: access-key}
              poe: {botName: Greeter-Bot, introductionMessage: Hello}
            ---
            apiVersion: botfleet.dev/v1alpha1
            kind: LLMBot
            metadata: {name: local-only}
            spec: {handler: echo}
            """;

    private final FakePoeApi poe = new FakePoeApi();

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        poe.close();
    }

    private Path manifests(String content) throws IOException {
        Path file = dir.resolve("bots.yaml");
        Files.writeString(file, content);
        return file;
    }

    @Test
    void theBotsWithAPoeNameArePushedWithTheKeyGiven() throws IOException {
        Cli result = Cli.run("sync-settings", manifests(BOTS).toString(), "--key", KEY, "--poe-api", poe.botApiUrl());

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("greeter: settings ", " synced to Poe bot Greeter-Bot")
                .doesNotContain("local-only", KEY);
        assertThat(poe.requests()).singleElement().satisfies(request -> {
            assertThat(request.path()).isEqualTo("/bot/update_settings/Greeter-Bot/" + KEY + "/1.2");
            assertThat(request.body()).contains("\"introduction_message\":\"Hello\"");
        });
    }

    @Test
    void withoutAKeyNothingIsPushedAndTheVariableToSetIsNamed() throws IOException {
        Cli result = Cli.run("sync-settings", manifests(BOTS).toString(), "--poe-api", poe.botApiUrl());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("greeter: no access key: set POE_GREETER_THAT_IS_NOT_SET_ACCESS_KEY");
        assertThat(poe.requests()).isEmpty();
    }

    @Test
    void aRefusalFailsTheCommandAndSaysWhy() throws IOException {
        poe.enqueue(FakePoeApi.Answer.status(404, "{\"detail\": \"no such bot\"}"));
        Cli result = Cli.run("sync-settings", manifests(BOTS).toString(), "--key", KEY, "--poe-api", poe.botApiUrl());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("greeter: not synced to Poe bot Greeter-Bot: Poe refused them (HTTP 404",
                "no such bot").doesNotContain(KEY);
    }

    @Test
    void aDryRunPrintsTheBodyAndCallsNobody() throws IOException {
        Cli result = Cli.run("sync-settings", manifests(BOTS).toString(), "--dry-run", "--poe-api", poe.botApiUrl());

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("greeter -> Poe bot Greeter-Bot: {\"response_version\":2");
        assertThat(poe.requests()).isEmpty();
    }

    @Test
    void brokenManifestsPushNothing() throws IOException {
        Cli result = Cli.run("sync-settings", manifests(BOTS.replace("botName: Greeter-Bot", "botName: 'not/a name'"))
                .toString(), "--key", KEY, "--poe-api", poe.botApiUrl());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("spec.poe.botName", "nothing pushed");
        assertThat(poe.requests()).isEmpty();
    }
}
