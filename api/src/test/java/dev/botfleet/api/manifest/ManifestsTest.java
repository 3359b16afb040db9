package dev.botfleet.api.manifest;

import dev.botfleet.api.validation.ManifestValidator;
import dev.botfleet.api.validation.Violation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ManifestsTest {

    private static final ManifestValidator VALIDATOR = ManifestValidator.forBotfleetCrds();

    private static String bot(String namespace) {
        return """
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata:
                  name: twin
                  namespace: %s
                spec: {providerRef: {name: openai}}
                """.formatted(namespace);
    }

    private static Manifests of(String text) {
        return Manifests.of(Map.of(Path.of("fleet.yaml"), text));
    }

    @Test
    void namesAreKeptApartByNamespaceAsTheApiServerKeepsThem() {
        assertThat(of(bot("a") + "---\n" + bot("b")).problems(VALIDATOR::validate)).isEmpty();

        List<ManifestProblem> twice = of(bot("a") + "---\n" + bot("a")).problems(VALIDATOR::validate);
        assertThat(twice).extracting(ManifestProblem::toString).containsExactly(
                "fleet.yaml:11: LLMBot/twin: metadata.name: duplicate name in namespace 'a': already defined at "
                        + "fleet.yaml:4");
    }

    @Test
    void eachBotfleetDocumentNeedsBotfleetsApiVersionAndPassesTheValidator() {
        Manifests manifests = of(bot("a").replace("v1alpha1", "v1") + """
                ---
                apiVersion: botfleet.dev/v1alpha1
                kind: BotRuntime
                metadata: {name: default}
                spec: {replicas: -1}
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: not-botfleets}
                data: {replicas: -1}
                """);
        assertThat(manifests.problems(VALIDATOR::validate)).extracting(ManifestProblem::toString)
                .hasSize(2)
                .anySatisfy(p -> assertThat(p).isEqualTo(
                        "fleet.yaml:1: LLMBot/twin: apiVersion: must be botfleet.dev/v1alpha1, not 'botfleet.dev/v1'"))
                .anySatisfy(p -> assertThat(p).startsWith("fleet.yaml:11: BotRuntime/default: spec.replicas: "));
        assertThat(manifests.documents()).hasSize(3);
        assertThat(manifests.botfleetDocuments()).extracting(ManifestDocument::kind)
                .containsExactly("LLMBot", "BotRuntime");
        assertThat(manifests.ofKind("ConfigMap")).singleElement().extracting(ManifestDocument::number).isEqualTo(3);
    }

    @Test
    void theValidatorIsTheCallersChoice() {
        List<Violation> none = List.of();
        assertThat(of(bot("a").replace("openai", "Not_A_Name")).problems(document -> none)).isEmpty();
    }

    @Test
    void aFieldsLineIsItsOwnOrItsNearestParents() {
        ManifestDocument document = of(bot("a")).documents().get(0);
        assertThat(document.line("metadata.namespace")).isEqualTo(5);
        assertThat(document.line("spec.providerRef.name")).isEqualTo(6);
        assertThat(document.line("spec.fallbacks[2].model")).isEqualTo(6);
        assertThat(document.at("nowhere")).isEqualTo("fleet.yaml:1");
        assertThat(document.namespace()).isEqualTo("a");
        assertThat(of("kind: LLMBot\nmetadata: {name: x}\n").documents().get(0).namespace()).isEmpty();
    }

    @Test
    void filesThatCannotBeUsedAreRefusedWithTheirPlaceAndWithoutTheirContent(@TempDir Path dir) throws IOException {
        assertThatThrownBy(() -> of("apiVersion: v1\nkind: Secret\nstringData: {key: sk-do-not-log\n"))
                .isInstanceOf(UnreadableManifestException.class)
                .hasMessageStartingWith("fleet.yaml:").hasMessageContaining("invalid YAML")
                .hasMessageNotContaining("sk-do-not-log");
        assertThatThrownBy(() -> of(bot("a") + "---\n- just\n- a list\n"))
                .hasMessage("fleet.yaml:8: document 2 is not a Kubernetes object");
        assertThatThrownBy(() -> Manifests.read(List.of(dir.resolve("absent.yaml"))))
                .hasMessage(dir.resolve("absent.yaml") + ":1: no such file or directory");

        Files.writeString(dir.resolve("a.yaml"), bot("a"));
        Files.writeString(dir.resolve("empty.yaml"), "---\n---\n");
        assertThat(Manifests.read(List.of(dir)).documents()).extracting(ManifestDocument::file)
                .containsExactly(dir.resolve("a.yaml"));
    }
}
