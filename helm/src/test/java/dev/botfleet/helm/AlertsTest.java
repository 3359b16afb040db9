package dev.botfleet.helm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chart's alerts, checked by Prometheus' own promtool (Debian's package, fetched by e2e/prometheus): the rules
 * the chart renders pass {@code promtool check rules}, and {@code promtool test rules} runs alerts-test.yaml, where
 * each alert fires for one series and not for another, with its labels and annotations as written.
 */
class AlertsTest {

    private static final Path REPO = Path.of(System.getProperty("botfleet.repo", "..")).toAbsolutePath().normalize();
    private static final ObjectMapper YAML = new YAMLMapper();

    @TempDir
    Path dir;

    private static GenericKubernetesResource rule(List<HasMetadata> objects) {
        return objects.stream().filter(o -> o.getKind().equals("PrometheusRule"))
                .map(GenericKubernetesResource.class::cast).findFirst().orElseThrow();
    }

    @Test
    void theRenderedRulesPassPromtoolAndEachAlertFiresOnlyWhereItShould() throws Exception {
        Files.writeString(dir.resolve("rules.yaml"), YAML.writeValueAsString(rule(ChartTest.render(t -> t
                .set("metrics.prometheusRule.enabled", true))).getAdditionalProperties().get("spec")));
        try (InputStream tests = getClass().getResourceAsStream("/alerts-test.yaml")) {
            Files.copy(tests, dir.resolve("alerts-test.yaml"));
        }

        assertThat(promtool("check", "rules", "rules.yaml")).contains("SUCCESS: 6 rules found");
        assertThat(promtool("test", "rules", "alerts-test.yaml")).contains("SUCCESS");
    }

    @Test
    void theThresholdsAreTheChartsValuesAndTheRuleIsOffByDefault() {
        assertThat(ChartTest.render(t -> { })).noneMatch(o -> o.getKind().equals("PrometheusRule"));
        GenericKubernetesResource rule = rule(ChartTest.render(t -> t.set("metrics.prometheusRule.enabled", true)
                .set("metrics.prometheusRule.labels.release", "kube-prometheus-stack")
                .set("metrics.prometheusRule.firstTokenSeconds", 4)));
        assertThat(rule.getMetadata().getLabels()).containsEntry("release", "kube-prometheus-stack");
        assertThat(rule.getAdditionalProperties().get("spec").toString()).contains("> 4");
    }

    @Test
    void everyAlertHasARunbook() throws IOException {
        String rules = Files.readString(REPO.resolve("helm/botfleet/templates/prometheusrule.yaml"));
        String docs = Files.readString(REPO.resolve("docs/metrics.md"));
        Matcher alert = Pattern.compile("- alert: (\\w+)").matcher(rules);
        List<String> alerts = new ArrayList<>();
        while (alert.find()) {
            alerts.add(alert.group(1));
        }
        assertThat(alerts).hasSize(6).allSatisfy(name -> assertThat(docs).contains("### " + name + "\n"));
    }

    private String promtool(String... arguments) throws IOException, InterruptedException {
        String tool = run(List.of("bash", REPO.resolve("e2e/prometheus").toString(), "promtool")).strip();
        List<String> command = new ArrayList<>(List.of(tool));
        command.addAll(List.of(arguments));
        return run(command);
    }

    private String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command) + "\n" + out).isZero();
        return out;
    }
}
