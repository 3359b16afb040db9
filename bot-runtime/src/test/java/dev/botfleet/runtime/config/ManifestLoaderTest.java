package dev.botfleet.runtime.config;

import dev.botfleet.api.validation.ManifestValidator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ManifestLoaderTest {

    private static final String PROVIDER = """
            apiVersion: botfleet.dev/v1alpha1
            kind: LLMProvider
            metadata: {name: openai}
            spec: {baseUrl: 'https://api.openai.com/v1', defaultModel: gpt-4o-mini}
            """;

    @TempDir
    Path dir;

    private final ManifestLoader loader = new ManifestLoader(ManifestValidator.forBotfleetCrds()::validate, Optional.empty());

    private Path file(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content);
        return file;
    }

    @Test
    void theQuickstartExampleLoads() {
        Fleet fleet = loader.load(Path.of(System.getProperty("botfleet.examples.dir", "../examples"),
                "quickstart.yaml"));
        assertThat(fleet.bot("assistant")).isPresent();
        assertThat(fleet.bot("echo")).isPresent();
        assertThat(fleet.provider("openai")).isPresent();
        assertThat(fleet.secretValue("openai", "api-key")).as("no Secret that could overwrite a stored key")
                .isEmpty();
    }

    @Test
    void secretDocumentsAreDecodedAndOtherKindsIgnored() throws IOException {
        Fleet fleet = loader.load(file("all.yaml", PROVIDER + """
                ---
                apiVersion: v1
                kind: Secret
                metadata: {name: keys}
                data: {encoded: c2stZnJvbS1kYXRh}
                stringData: {plain: sk-from-string-data}
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: unrelated}
                data: {x: y}
                """));
        assertThat(fleet.secretValue("keys", "encoded")).hasValue("sk-from-data");
        assertThat(fleet.secretValue("keys", "plain")).hasValue("sk-from-string-data");
        assertThat(fleet.provider("openai")).isPresent();
    }

    @Test
    void aDirectoryIsReadWithoutItsHiddenEntries() throws IOException {
        file("providers.yaml", PROVIDER);
        file("bots.yml", """
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {name: b}
                spec: {providerRef: {name: openai}}
                """);
        file(".hidden.yaml", "not: [valid");
        file("notes.txt", "ignored");
        Fleet fleet = loader.load(dir);
        assertThat(fleet.bots()).hasSize(1);
    }

    @Test
    void duplicatesWrongVersionsAndSchemaViolationsAreRefusedWithTheirPlace() throws IOException {
        Path duplicate = file("dup.yaml", PROVIDER + "---\n" + PROVIDER);
        assertThatThrownBy(() -> loader.load(duplicate)).isInstanceOf(ManifestException.class)
                .hasMessageContaining("dup.yaml:8: LLMProvider/openai: metadata.name: duplicate name: already defined at "
                        + duplicate + ":3");

        Path wrongVersion = file("v.yaml", PROVIDER.replace("v1alpha1", "v2"));
        assertThatThrownBy(() -> loader.load(wrongVersion)).hasMessageContaining(
                "v.yaml:1: LLMProvider/openai: apiVersion: must be botfleet.dev/v1alpha1, not 'botfleet.dev/v2'");

        Path invalid = file("bad.yaml", PROVIDER.replace("https://api.openai.com/v1", "ftp://x"));
        assertThatThrownBy(() -> loader.load(invalid)).hasMessageContaining("bad.yaml:4: LLMProvider/openai: spec.baseUrl");

        assertThatThrownBy(() -> loader.load(dir.resolve("absent.yaml"))).hasMessageContaining("no such file");
    }

    @Test
    void documentsTheApiServerAdmittedAreReadWithoutTheSchemaAndCelChecks() throws IOException {
        Path admitted = file("admitted.yaml", PROVIDER.replace("https://api.openai.com/v1", "ftp://x"));
        assertThatThrownBy(() -> loader.load(admitted)).hasMessageContaining("spec.baseUrl");

        Fleet fleet = new ManifestLoader(unchecked -> List.of(), Optional.empty()).load(admitted);
        assertThat(fleet.provider("openai")).hasValueSatisfying(provider ->
                assertThat(provider.getSpec().getBaseUrl()).isEqualTo("ftp://x"));

        Path unknownField = file("unknown.yaml", PROVIDER.replace("defaultModel:", "colour: red, defaultModel:"));
        assertThatThrownBy(() -> new ManifestLoader(unchecked -> List.of(), Optional.empty()).load(unknownField))
                .as("unknown fields are still refused when reading").hasMessageContaining("colour");
    }

    @Test
    void brokenYamlIsReportedWithoutQuotingTheFile() throws IOException {
        Path broken = file("secret.yaml", "apiVersion: v1\nkind: Secret\nstringData: {key: sk-do-not-log\n");
        assertThatThrownBy(() -> loader.load(broken)).hasMessageContaining("invalid YAML")
                .hasMessageNotContaining("sk-do-not-log");
    }

    @Test
    void aRuntimeServesOneNamespaceAndItsBotsUseThatNamespacesProvidersAndSecrets() throws IOException {
        Path twins = file("twins.yaml", twin("a", "https://a.example/v1") + "---\n" + twin("b", "https://b.example/v1"));
        assertThatThrownBy(() -> loader.load(twins))
                .as("botfleet validate accepts the file; the runtime says which namespace to choose")
                .hasMessageContaining("namespaces a, b").hasMessageContaining("--botfleet.namespace=a");

        Fleet b = new ManifestLoader(ManifestValidator.forBotfleetCrds()::validate, Optional.of("b")).load(twins);
        assertThat(b.bots()).singleElement().satisfies(bot -> assertThat(bot.getMetadata().getNamespace())
                .isEqualTo("b"));
        assertThat(b.provider("openai")).hasValueSatisfying(provider ->
                assertThat(provider.getSpec().getBaseUrl()).isEqualTo("https://b.example/v1"));
        assertThat(b.secretValue("keys", "poe")).hasValue("key-of-b");
    }

    @Test
    void documentsWithoutANamespaceBelongToTheServedOne() throws IOException {
        Path mixed = file("mixed.yaml", PROVIDER + """
                ---
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {name: b, namespace: team}
                spec: {providerRef: {name: openai}}
                """);
        Fleet fleet = loader.load(mixed);
        assertThat(fleet.bot("b")).isPresent();
        assertThat(fleet.provider("openai")).isPresent();

        Fleet other = new ManifestLoader(ManifestValidator.forBotfleetCrds()::validate, Optional.of("other"))
                .load(mixed);
        assertThat(other.bot("b")).as("a document of another namespace").isEmpty();
        assertThat(other.provider("openai")).isPresent();

        assertThatThrownBy(() -> new ManifestLoader(ManifestValidator.forBotfleetCrds()::validate,
                Optional.of("other")).load(file("team.yaml", """
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {name: b, namespace: team}
                spec: {providerRef: {name: openai}}
                """))).hasMessageContaining("no LLMBot or LLMProvider document in namespace 'other'");
    }

    private static String twin(String namespace, String baseUrl) {
        return """
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMProvider
                metadata: {name: openai, namespace: %1$s}
                spec: {baseUrl: '%2$s', defaultModel: gpt-4o-mini}
                ---
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {name: twin, namespace: %1$s}
                spec: {providerRef: {name: openai}}
                ---
                apiVersion: v1
                kind: Secret
                metadata: {name: keys, namespace: %1$s}
                stringData: {poe: key-of-%1$s}
                """.formatted(namespace, baseUrl);
    }
}
