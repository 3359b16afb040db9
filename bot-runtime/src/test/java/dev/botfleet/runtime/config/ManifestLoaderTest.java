package dev.botfleet.runtime.config;

import dev.botfleet.api.validation.ManifestValidator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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

    private final ManifestLoader loader = new ManifestLoader(ManifestValidator.forBotfleetCrds()::validate);

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
                .hasMessageContaining("dup.yaml (document 2)").hasMessageContaining("'openai' is defined twice");

        Path wrongVersion = file("v.yaml", PROVIDER.replace("v1alpha1", "v2"));
        assertThatThrownBy(() -> loader.load(wrongVersion)).hasMessageContaining("must have apiVersion botfleet.dev/v1alpha1");

        Path invalid = file("bad.yaml", PROVIDER.replace("https://api.openai.com/v1", "ftp://x"));
        assertThatThrownBy(() -> loader.load(invalid)).hasMessageContaining("bad.yaml (document 1)")
                .hasMessageContaining("spec.baseUrl");

        assertThatThrownBy(() -> loader.load(dir.resolve("absent.yaml"))).hasMessageContaining("no such file");
    }

    @Test
    void documentsTheApiServerAdmittedAreReadWithoutTheSchemaAndCelChecks() throws IOException {
        Path admitted = file("admitted.yaml", PROVIDER.replace("https://api.openai.com/v1", "ftp://x"));
        assertThatThrownBy(() -> loader.load(admitted)).hasMessageContaining("spec.baseUrl");

        Fleet fleet = new ManifestLoader(unchecked -> List.of()).load(admitted);
        assertThat(fleet.provider("openai")).hasValueSatisfying(provider ->
                assertThat(provider.getSpec().getBaseUrl()).isEqualTo("ftp://x"));

        Path unknownField = file("unknown.yaml", PROVIDER.replace("defaultModel:", "colour: red, defaultModel:"));
        assertThatThrownBy(() -> new ManifestLoader(unchecked -> List.of()).load(unknownField))
                .as("unknown fields are still refused when reading").hasMessageContaining("colour");
    }

    @Test
    void brokenYamlIsReportedWithoutQuotingTheFile() throws IOException {
        Path broken = file("secret.yaml", "apiVersion: v1\nkind: Secret\nstringData: {key: sk-do-not-log\n");
        assertThatThrownBy(() -> loader.load(broken)).hasMessageContaining("invalid YAML")
                .hasMessageNotContaining("sk-do-not-log");
    }
}
