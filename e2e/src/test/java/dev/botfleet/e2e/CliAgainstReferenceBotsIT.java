package dev.botfleet.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The packaged CLI's {@code botfleet query} against fastapi_poe reference bots (e2e/poe/reference_bots.py). */
@Order(11)
class CliAgainstReferenceBotsIT {

    private static final String REFERENCE_KEY = ReferenceBots.KEYED_ACCESS_KEY;
    private static final Path CLI = ControlPlane.REPO.resolve("cli/target/botfleet.jar");

    private static ReferenceBots bots;

    @BeforeAll
    static void startReferenceBots() throws IOException {
        bots = ReferenceBots.start("reference-bots.log");
    }

    @AfterAll
    static void stop() {
        bots.close();
    }

    private static Command.Result query(String bot, String... options) {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-jar", CLI.toString(), "query", bots.baseUrl() + bot));
        command.addAll(List.of(options));
        command.add("hello there");
        return Command.of(command).run();
    }

    @Test
    void anAnswerFromABotWithoutAKeyAndOneWithAKey() {
        Command.Result open = query("echo");
        assertThat(open.exitCode()).as(open.toString()).isZero();
        assertThat(open.out()).contains("hello there");

        Command.Result keyed = query("keyed", "--key", REFERENCE_KEY);
        assertThat(keyed.exitCode()).as(keyed.toString()).isZero();
        assertThat(keyed.out()).contains("hello there");

        Command.Result refused = query("keyed", "--key", "wrong");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("HTTP 401", "Invalid access key");
    }

    @Test
    void errorsReplacementsSuggestionsAndDataAreShown() {
        Command.Result error = query("error");
        assertThat(error.exitCode()).isEqualTo(1);
        assertThat(error.out()).contains("partial");
        assertThat(error.err()).contains("error (allow_retry=false): the reference bot failed");

        assertThat(query("retry").err()).contains("error (allow_retry=true): busy, try again");

        Command.Result replaced = query("replace");
        assertThat(replaced.out()).contains("[the bot replaced its answer]", "final answer");

        Command.Result suggested = query("suggest");
        assertThat(suggested.exitCode()).isZero();
        assertThat(suggested.err()).contains("suggested reply: Tell me more", "suggested reply: Thanks")
                .doesNotContain("warning");

        Command.Result data = query("data");
        assertThat(data.out()).contains("with data");
        assertThat(data.err()).contains("data: {\"run\": 1}");
    }

    @Test
    void settingsAreFetched() {
        Command.Result settings = Command.of(List.of(ProcessHandle.current().info().command().orElse("java"), "-jar",
                CLI.toString(), "query", bots.baseUrl() + "echo", "--settings")).run();
        assertThat(settings.exitCode()).as(settings.toString()).isZero();
        assertThat(settings.out()).contains("response_version");
    }
}
