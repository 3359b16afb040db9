package dev.botfleet.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ValidateAndListTest {

    private static final String EXAMPLES = System.getProperty("botfleet.examples.dir", "../examples");

    @TempDir
    Path dir;

    private Path file(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content);
        return file;
    }

    @Test
    void theExamplesAreCleanWithWarningsForSecretsKeptInTheCluster() {
        Cli result = Cli.run("validate", EXAMPLES);
        assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
        assertThat(result.out()).contains("LLMProvider/groq: spec.apiKeySecretRef.name: warning: Secret 'groq' is not in these files");
        assertThat(result.err()).contains("0 error(s)");
        assertThat(result.out()).doesNotContain("BotRuntime/");
    }

    @Test
    void aBotRuntimeIsCheckedAgainstItsCrd() throws IOException {
        Path runtime = file("runtime.yaml", """
                apiVersion: botfleet.dev/v1alpha1
                kind: BotRuntime
                metadata: {name: support}
                spec:
                  replicas: -1
                """);
        Cli result = Cli.run("validate", runtime.toString());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).contains(runtime + ":5: BotRuntime/support: spec.replicas: must have a minimum value of 0");
    }

    /** What only the set shows for Poe bots as providers: the calling bot's own key, Poe's hundred calls. */
    @Test
    void aBotCallingPoeBotsNeedsItsAccessKeyAndStaysWithinPoesCallLimit() throws IOException {
        Path bots = file("poe.yaml", """
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMProvider
                metadata: {name: poe-bots}
                spec:
                  protocol: poe
                  defaultModel: Claude-Sonnet-4
                ---
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {name: keyless}
                spec:
                  providerRef: {name: poe-bots}
                ---
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {name: greedy}
                spec:
                  providerRef: {name: poe-bots}
                  accessKeySecretRef: {name: greedy, key: access-key}
                  poe:
                    serverBotDependencies: {Web-Search: 98}
                """);
        Cli result = Cli.run("validate", bots.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).contains("LLMBot/keyless: spec.accessKeySecretRef: LLMProvider 'poe-bots' calls Poe "
                        + "bots with the calling bot's own access key, and this bot has none")
                .contains("LLMBot/greedy: spec.poe.serverBotDependencies: server_bot_dependencies add up to 101 calls "
                        + "per message");
        assertThat(result.err()).contains("2 error(s)");
    }

    @Test
    void schemaAndCelViolationsArePrintedWithFileAndLine() throws IOException {
        Path bots = file("bots.yaml", """
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMProvider
                metadata: {name: openai}
                spec:
                  baseUrl: https://api.openai.com/v1
                  defaultModel: gpt-4o-mini
                  models: [gpt-4o-mini]
                ---
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata:
                  name: hot
                spec:
                  providerRef: {name: openai}
                  temperature: 3
                ---
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata:
                  name: repeats
                spec:
                  providerRef: {name: openai}
                  fallbacks:
                    - providerRef: {name: openai}
                """);
        Cli result = Cli.run("validate", bots.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).contains(bots + ":15: LLMBot/hot: spec.temperature: must have a maximum value of 2.0");
        assertThat(result.out()).contains(bots + ":23: LLMBot/repeats: spec.fallbacks: a fallback must differ");
    }

    @Test
    void setWideChecksFindModelsDuplicatesAndMissingReferences() throws IOException {
        Path providers = file("providers.yaml", """
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMProvider
                metadata: {name: openai}
                spec: {baseUrl: 'https://api.openai.com/v1', defaultModel: gpt-4o-mini, models: [gpt-4o-mini]}
                """);
        Path bots = file("bots.yaml", """
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {name: picky}
                spec:
                  providerRef: {name: openai}
                  model: gpt-4o
                ---
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {name: picky}
                spec: {providerRef: {name: openai}}
                ---
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {name: elsewhere}
                spec: {providerRef: {name: in-cluster}}
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: not-ours}
                data: {anything: goes}
                """);
        Cli result = Cli.run("validate", providers.toString(), bots.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out())
                .contains(bots + ":6: LLMBot/picky: spec.model: model 'gpt-4o' is not in spec.models of LLMProvider 'openai'")
                .contains(bots + ":10: LLMBot/picky: metadata.name: duplicate name: already defined at " + bots + ":3")
                .contains(bots + ":16: LLMBot/elsewhere: spec.providerRef.name: warning: LLMProvider 'in-cluster' is not in these files")
                .doesNotContain("not-ours");
    }

    @Test
    void theModelsUsersMayPickMustBeAllowedByTheProvider() throws IOException {
        Path manifests = file("tunable.yaml", """
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMProvider
                metadata: {name: openai}
                spec: {baseUrl: 'https://api.openai.com/v1', defaultModel: gpt-4o-mini, models: [gpt-4o-mini, gpt-4o]}
                ---
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {name: tunable}
                spec:
                  providerRef: {name: openai}
                  poe: {parameterControls: {sections: [{controls: [{control: divider}]}]}}
                  parameters: {model: {parameterName: model, models: [gpt-4o, o3]}}
                """);
        Cli result = Cli.run("validate", manifests.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).contains("LLMBot/tunable: spec.parameters.model.models[1]: model 'o3' is not in "
                + "spec.models of LLMProvider 'openai'").doesNotContain("models[0]");
    }

    /** Values of several types the API server cannot check: validate warns of what Poe would not take as it is. */
    @Test
    void parameterValuesPoeWouldNotTakeAreWarnings() throws IOException {
        Path manifests = file("loose.yaml", """
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {name: loose}
                spec:
                  handler: echo
                  poe:
                    parameterControls:
                      sections:
                        - tabs:
                            - controls:
                                - {control: toggle_switch, label: Long, parameterName: long, defaultValue: "yes"}
                                - control: condition
                                  condition: {comparator: eq, left: {parameterName: long, literal: 1},
                                              right: {literal: [1, 2]}}
                                  controls: [{control: slider, label: Heat, parameterName: heat, defaultValue: hot,
                                              minValue: 0, maxValue: 1, step: 0.5}]
                """);
        Cli result = Cli.run("validate", manifests.toString());

        assertThat(result.exitCode()).as(result.out()).isZero();
        String at = "LLMBot/loose: spec.poe.parameterControls.sections[0].tabs[0].controls";
        assertThat(result.out())
                .contains(at + "[0].defaultValue: warning: a toggle_switch's default must be a boolean")
                .contains(at + "[1].condition.left.literal: warning: the parameterName is compared")
                .contains(at + "[1].condition.right.literal: warning: an operand needs a parameterName or a string")
                .contains(at + "[1].controls[0].defaultValue: warning: a slider's default must be a number");
    }

    @Test
    void aGroupTooLargeForOneConfigMapIsAnError() throws IOException {
        StringBuilder yaml = new StringBuilder("""
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMProvider
                metadata: {name: openai}
                spec: {baseUrl: 'https://api.openai.com/v1', defaultModel: gpt-4o-mini}
                """);
        String prompt = "x".repeat(99_000);
        for (int i = 0; i < 11; i++) {
            yaml.append("---\napiVersion: botfleet.dev/v1alpha1\nkind: LLMBot\nmetadata: {name: big-")
                    .append((char) ('a' + i)).append("}\nspec: {providerRef: {name: openai}, systemPrompt: ")
                    .append(prompt).append("}\n");
        }
        Cli result = Cli.run("validate", file("big.yaml", yaml.toString()).toString());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).contains("LLMBot/big-k: spec.runtime: runtime group 'default' would exceed");
    }

    @Test
    void unusableInputExitsWithTwo() throws IOException {
        Cli broken = Cli.run("validate", file("broken.yaml", "kind: LLMBot\nmetadata: {name: x\n").toString());
        assertThat(broken.exitCode()).isEqualTo(2);
        assertThat(broken.err()).contains("broken.yaml:").contains("invalid YAML");

        Cli missing = Cli.run("validate", dir.resolve("absent.yaml").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("no such file or directory");

        Cli noArguments = Cli.run("validate");
        assertThat(noArguments.exitCode()).isEqualTo(2);
        assertThat(noArguments.err()).contains("Missing required parameter");
    }

    @Test
    void fallbacksAreCheckedAgainstTheProvidersInTheFiles() throws IOException {
        Path bots = file("fallbacks.yaml", """
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMProvider
                metadata: {name: groq}
                spec: {baseUrl: 'https://api.groq.com/openai/v1', defaultModel: llama, models: [llama]}
                ---
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {name: resilient}
                spec:
                  handler: echo
                  fallbacks:
                    - providerRef: {name: groq}
                      model: mixtral
                    - providerRef: {name: elsewhere}
                """);
        Cli result = Cli.run("validate", bots.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).contains("LLMBot/resilient: spec.fallbacks[0].model: model 'mixtral' is not in "
                        + "spec.models of LLMProvider 'groq'",
                "LLMBot/resilient: spec.fallbacks[1].providerRef.name: warning: LLMProvider 'elsewhere' is not in "
                        + "these files");
    }

    @Test
    void findingsPointAtTheLineOfTheirFieldEvenInsideLists() throws IOException {
        Path bots = file("lines.yaml", """
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMProvider
                metadata: {name: groq}
                spec: {baseUrl: 'https://api.groq.com/openai/v1', defaultModel: llama, models: [llama]}
                ---
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata:
                  name: listed
                spec:
                  handler: echo
                  fallbacks:
                    - providerRef:
                        name: groq
                      model: llama
                    - providerRef:
                        name: groq
                      model: mixtral
                  accessKeySecretRef:
                    name: poe
                    key: access-key
                """);
        Cli result = Cli.run("validate", bots.toString());

        assertThat(result.out()).contains(bots + ":18: LLMBot/listed: spec.fallbacks[1].model: model 'mixtral'",
                bots + ":20: LLMBot/listed: spec.accessKeySecretRef.name: warning: Secret 'poe' is not in these files");
    }

    @Test
    void aSecretInTheFilesSatisfiesTheReferencesToIt() throws IOException {
        Path bots = file("with-secret.yaml", """
                apiVersion: v1
                kind: Secret
                metadata: {name: poe}
                stringData: {access-key: k}
                ---
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {name: keyed}
                spec: {handler: echo, accessKeySecretRef: {name: poe, key: access-key}}
                """);
        Cli result = Cli.run("validate", bots.toString());

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).contains("1 document(s) checked: 0 error(s), 0 warning(s)");
    }

    @Test
    void aDirectoryIsReadForItsVisibleManifestFilesOnly() throws IOException {
        Path directory = dir.resolve("manifests");
        Files.createDirectories(directory.resolve("nested"));
        Files.writeString(directory.resolve("nested/bot.yaml"), """
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {name: nested}
                spec: {handler: echo}
                """);
        Files.writeString(directory.resolve(".hidden.yaml"), "not: [valid");
        Files.writeString(directory.resolve("README.md"), "# not a manifest: [");
        Cli result = Cli.run("validate", directory.toString());

        assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
        assertThat(result.err()).contains("1 document(s) checked");
    }

    @Test
    void namesAreOneEachPerNamespaceAndEveryBotfleetDocumentNeedsBotfleetsApiVersion() throws IOException {
        String twin = """
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {name: twin, namespace: %s}
                spec: {providerRef: {name: openai}}
                """;
        Path twins = file("twins.yaml", twin.formatted("a") + "---\n" + twin.formatted("b"));
        Cli apart = Cli.run("validate", twins.toString());
        assertThat(apart.exitCode()).as(apart.out()).isZero();
        assertThat(apart.out()).doesNotContain("duplicate");

        Path wrong = file("wrong.yaml", twin.formatted("a").replace("v1alpha1", "v1beta1"));
        Cli refused = Cli.run("validate", wrong.toString());
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.out()).contains(wrong + ":1: LLMBot/twin: apiVersion: must be botfleet.dev/v1alpha1, "
                + "not 'botfleet.dev/v1beta1'");
    }

    @Test
    void aPathThatDoesNotExistIsUnusableInput() {
        Cli result = Cli.run("validate", dir.resolve("nowhere.yaml").toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("nowhere.yaml:1: no such file or directory");
    }

    @Test
    void invalidYamlNamesItsLine() throws IOException {
        Path broken = file("broken.yaml", "apiVersion: botfleet.dev/v1alpha1\nkind: LLMBot\nmetadata: {name: [x\n");
        Cli result = Cli.run("validate", broken.toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).containsPattern("broken.yaml:[34]: invalid YAML");
    }

    @Test
    void aDocumentThatFailsTheSchemaIsNotCrossChecked() throws IOException {
        Path bot = file("invalid.yaml", """
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {name: hot}
                spec: {providerRef: {name: missing}, temperature: 3}
                """);
        Cli result = Cli.run("validate", bot.toString());

        assertThat(result.out().lines()).singleElement().satisfies(line ->
                assertThat(line).contains("LLMBot/hot: spec.temperature:"));
    }

    @Test
    void listShowsProvidersAndBots() {
        Cli result = Cli.run("list", EXAMPLES + "/quickstart.yaml");
        assertThat(result.exitCode()).isZero();
        assertThat(result.out().lines()).containsExactly(
                "KIND          NAME        PROVIDER   MODEL                RUNTIME",
                "LLMProvider   openai      -          gpt-4o-mini          -",
                "LLMBot        assistant   openai     gpt-4o-mini          default",
                "LLMBot        echo        -          -                    default",
                "LLMBot        tunable     openai     (provider default)   default");
    }

    @Test
    void everyCommandHasHelpWithExamples() {
        for (String command : new String[] {"validate", "list", "query", "sync-settings"}) {
            Cli help = Cli.run(command, "--help");
            assertThat(help.exitCode()).as(command).isZero();
            assertThat(help.out()).as(command).contains("Usage: botfleet " + command).contains("Example");
        }
        assertThat(Cli.run("new", "provider", "--help").out()).contains("--preset").contains("Example");
        assertThat(Cli.run("new", "bot", "--help").out()).contains("--provider").contains("Example");
    }
}
