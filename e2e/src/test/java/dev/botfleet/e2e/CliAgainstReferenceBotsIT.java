package dev.botfleet.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The packaged CLI's {@code botfleet query} against fastapi_poe reference bots (e2e/poe/reference_bots.py). */
@Order(11)
class CliAgainstReferenceBotsIT {

    private static final String REFERENCE_KEY = "reference-access-key-01234567890";
    private static final Path CLI = ControlPlane.REPO.resolve("cli/target/botfleet.jar");

    private static Process bots;
    private static int port;

    @BeforeAll
    static void startReferenceBots() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        bots = new ProcessBuilder(PythonEnvironment.python().toString(),
                ControlPlane.REPO.resolve("e2e/poe/reference_bots.py").toString(), Integer.toString(port))
                .redirectErrorStream(true)
                .redirectOutput(ControlPlane.WORK.resolve("reference-bots.log").toFile()).start();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return true;
            } catch (IOException notYet) {
                return false;
            }
        });
    }

    @AfterAll
    static void stop() {
        bots.destroy();
    }

    private static Command.Result query(String bot, String... options) {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-jar", CLI.toString(), "query", "http://127.0.0.1:" + port + "/bots/" + bot));
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
                CLI.toString(), "query", "http://127.0.0.1:" + port + "/bots/echo", "--settings")).run();
        assertThat(settings.exitCode()).as(settings.toString()).isZero();
        assertThat(settings.out()).contains("response_version");
    }
}
