package dev.botfleet.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.botfleet.api.manifest.ManifestDocument;
import dev.botfleet.api.manifest.Manifests;
import dev.botfleet.api.validation.ManifestValidator;
import dev.botfleet.api.validation.Violation;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Manifests checked against the generated CRD schemas and CEL rules, as the API server would check them. */
class ManifestValidationTest {

    private static final String EXPECTED_FIELD = "test.botfleet.dev/expected-field";

    private final ManifestValidator validator = ManifestValidator.forBotfleetCrds();

    @TestFactory
    Stream<DynamicTest> everyExampleIsAccepted() throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(TestPaths.examplesDir())) {
            files = walk.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(files).as("example manifests").hasSizeGreaterThanOrEqualTo(8);
        List<DynamicTest> tests = files.stream().flatMap(file -> Manifests.read(List.of(file)).documents().stream().map(ManifestDocument::node)
                .filter(validator::handles)
                .map(document -> DynamicTest.dynamicTest(
                        TestPaths.examplesDir().relativize(file) + " " + document.at("/metadata/name").asText(),
                        () -> assertThat(validator.validate(document)).isEmpty()))).toList();
        assertThat(tests).as("botfleet documents among the examples").hasSizeGreaterThanOrEqualTo(12);
        return tests.stream();
    }

    /** Applying an example after creating a Secret, as the docs say, must never overwrite the Secret. */
    @Test
    void noExampleCarriesASecret() throws IOException {
        List<String> secrets;
        try (Stream<Path> walk = Files.walk(TestPaths.examplesDir())) {
            secrets = walk.filter(p -> p.toString().endsWith(".yaml") && !p.toString().contains("/target/"))
                    .flatMap(file -> Manifests.read(List.of(file)).documents().stream().map(ManifestDocument::node)
                            .filter(document -> "Secret".equals(document.path("kind").asText()))
                            .map(document -> file.getFileName() + ": " + document.at("/metadata/name").asText()))
                    .toList();
        }
        assertThat(secrets).isEmpty();
    }

    @TestFactory
    Stream<DynamicTest> everyGoodManifestIsAccepted() throws IOException {
        List<JsonNode> documents = corpus("/good-manifests.yaml");
        assertThat(documents).as("good manifests in the table").hasSizeGreaterThanOrEqualTo(7);
        return documents.stream().map(document -> DynamicTest.dynamicTest(document.at("/metadata/name").asText(),
                () -> assertThat(validator.validate(document)).isEmpty()));
    }

    @TestFactory
    Stream<DynamicTest> everyBadManifestIsRefusedNamingItsField() throws IOException {
        List<JsonNode> documents = corpus("/bad-manifests.yaml");
        assertThat(documents).as("bad manifests in the table").hasSizeGreaterThanOrEqualTo(30);
        return documents.stream().map(document -> {
            String name = document.at("/metadata/name").asText();
            String field = document.at("/metadata/annotations").path(EXPECTED_FIELD).asText();
            return DynamicTest.dynamicTest(name + " is refused at " + field, () -> {
                List<Violation> violations = validator.validate(document);
                assertThat(violations).as("violations of %s", name)
                        .isNotEmpty()
                        .anySatisfy(v -> assertThat(v.field()).isEqualTo(field));
            });
        });
    }

    @Test
    void namesFollowTheApiServersRule() {
        String bot = """
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {%s}
                spec: {handler: echo}
                """;
        assertThat(validator.validate(yaml(bot.formatted("")))).extracting(Violation::toString)
                .containsExactly("metadata.name: Required value");
        assertThat(validator.validate(yaml(bot.formatted("name: ''")))).extracting(Violation::field)
                .containsExactly("metadata.name");
        assertThat(validator.validate(yaml(bot.formatted("name: " + "a".repeat(254))))).extracting(Violation::field)
                .containsExactly("metadata.name");
        assertThat(validator.validate(yaml(bot.formatted("name: " + "a".repeat(253))))).isEmpty();
    }

    @Test
    void aMissingSpecIsNamedAtTheTop() {
        assertThat(validator.validate(yaml("""
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMProvider
                metadata: {name: p}
                """))).extracting(Violation::toString).contains("spec: Required value");
    }

    @Test
    void violationMessagesSayWhatIsWrong() {
        JsonNode bot = yaml("""
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {name: b}
                spec:
                  providerRef: {name: openai}
                  temperature: 3
                """);
        assertThat(validator.validate(bot)).singleElement().satisfies(v -> {
            assertThat(v.field()).isEqualTo("spec.temperature");
            assertThat(v.message()).contains("2");
        });
    }

    @Test
    void celRulesAreCheckedOnceTheSchemaPasses() {
        JsonNode bot = yaml("""
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {name: b}
                spec:
                  providerRef: {name: openai}
                  fallbacks:
                    - providerRef: {name: openai}
                """);
        assertThat(validator.validate(bot)).singleElement().satisfies(v -> {
            assertThat(v.field()).isEqualTo("spec.fallbacks");
            assertThat(v.message()).isEqualTo("a fallback must differ from the primary providerRef and model");
        });
    }

    @Test
    void aFallbackToTheSameProviderWithAnotherModelIsAccepted() {
        JsonNode bot = yaml("""
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {name: b}
                spec:
                  providerRef: {name: openai}
                  model: gpt-4o
                  fallbacks:
                    - providerRef: {name: openai}
                      model: gpt-4o-mini
                    - providerRef: {name: groq}
                """);
        assertThat(validator.validate(bot)).isEmpty();
    }

    @Test
    void otherKindsAreNotJudged() {
        JsonNode secret = yaml("""
                apiVersion: v1
                kind: Secret
                metadata: {name: s}
                stringData: {anything: goes}
                """);
        assertThat(validator.handles(secret)).isFalse();
        assertThat(validator.validate(secret)).isEmpty();
    }

    private List<JsonNode> corpus(String resource) throws IOException {
        try (InputStream in = getClass().getResourceAsStream(resource)) {
            return nodes(resource, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private static JsonNode yaml(String text) {
        return nodes("inline.yaml", text).get(0);
    }

    private static List<JsonNode> nodes(String name, String text) {
        return Manifests.of(Map.of(Path.of(name), text)).documents().stream().map(ManifestDocument::node).toList();
    }
}
