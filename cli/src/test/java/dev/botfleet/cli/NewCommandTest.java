package dev.botfleet.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class NewCommandTest {

    @TempDir
    Path dir;

    @Test
    void everyPresetScaffoldsAProviderThatValidates() throws IOException {
        Path file = dir.resolve("providers.yaml");
        for (Preset preset : Preset.values()) {
            String name = preset.optionName();
            Cli result = Cli.run("new", "provider", "--preset", name, "--name", name, "--output", file.toString());
            assertThat(result.exitCode()).as(result.err()).isZero();
        }
        String written = Files.readString(file);
        assertThat(written).contains("kubectl create secret generic openai --from-literal=api-key=...")
                .contains("api-version: \"2024-10-21\"").contains("apiKeyHeader: \"api-key\"")
                .contains("baseUrl: \"https://api.poe.com/v1\"")
                .contains("name: \"poe-bots\"\nspec:\n  protocol: \"poe\"\n  defaultModel: \"Claude-Sonnet-4\"");
        Cli validate = Cli.run("validate", file.toString());
        assertThat(validate.err()).contains("10 document(s) checked: 0 error(s)");
        assertThat(validate.exitCode()).isZero();
    }

    @Test
    void aBotWithEveryOptionValidatesAgainstItsProvider() throws IOException {
        Path file = dir.resolve("fleet.yaml");
        Cli.run("new", "provider", "--preset", "openai", "--name", "openai", "-o", file.toString());
        Cli bot = Cli.run("new", "bot", "--name", "helper", "--provider", "openai", "--model", "gpt-4o-mini",
                "--system-prompt", "You are concise.", "--temperature", "0.3", "--max-tokens", "512",
                "--runtime", "team-a", "--access-key-secret", "poe-helper", "-o", file.toString());
        assertThat(bot.exitCode()).isZero();

        Cli validate = Cli.run("validate", file.toString());
        assertThat(validate.exitCode()).as(validate.out()).isZero();
        assertThat(Cli.run("list", file.toString()).out()).contains("helper").contains("team-a");
    }

    @Test
    void printsToStdoutByDefault() {
        Cli bot = Cli.run("new", "bot", "--name", "helper", "--provider", "openai");
        assertThat(bot.out()).startsWith("apiVersion: \"botfleet.dev/v1alpha1\"").contains("kind: \"LLMBot\"");
    }

    @Test
    void argumentsTheApiServerWouldRefuseAreRefusedNamingTheField() {
        Cli hot = Cli.run("new", "bot", "--name", "helper", "--provider", "openai", "--temperature", "3");
        assertThat(hot.exitCode()).isEqualTo(2);
        assertThat(hot.err()).contains("spec.temperature");

        Cli badName = Cli.run("new", "bot", "--name", "Helper_1", "--provider", "openai");
        assertThat(badName.exitCode()).isEqualTo(2);

        Cli unknownPreset = Cli.run("new", "provider", "--preset", "nope", "--name", "x");
        assertThat(unknownPreset.exitCode()).isEqualTo(2);
        assertThat(unknownPreset.err()).contains("unknown preset 'nope'").contains("openai, azure");
    }
}
