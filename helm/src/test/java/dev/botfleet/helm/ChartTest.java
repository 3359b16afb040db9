package dev.botfleet.helm;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The chart, linted and rendered by Helm itself (helm-java), and the rendered objects checked. */
class ChartTest {

    private static final Path CHART = Path.of(System.getProperty("botfleet.chart.dir", "botfleet"));
    private static final Path CRDS = Path.of(System.getProperty("botfleet.crds.dir", "../crds"));

    /** The chart rendered by Helm with {@code options}, as Kubernetes objects. */
    static List<HasMetadata> render(Consumer<TemplateCommand> options) {
        TemplateCommand template = Helm.template(CHART.toString()).withName("botfleet").withNamespace("botfleet-system")
                .withKubeVersion("1.30.0");
        options.accept(template);
        String yaml = template.call();
        return Stream.of(yaml.split("(?m)^---\\s*$"))
                .filter(document -> document.lines().anyMatch(line -> line.startsWith("kind:")))
                .map(document -> (HasMetadata) Serialization.unmarshal(document))
                .toList();
    }

    private static <T extends HasMetadata> List<T> ofKind(List<HasMetadata> objects, Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private static Container operatorContainer(List<HasMetadata> objects) {
        return ofKind(objects, Deployment.class).get(0).getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    private static Map<String, String> env(Container container) {
        return container.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, e -> String.valueOf(e.getValue())));
    }

    @Test
    void lintsCleanInStrictMode() {
        LintResult result = new Helm(CHART).lint().strict().call();
        assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
    }

    @Test
    void chartCrdsAreTheGeneratedOnes() throws IOException {
        List<String> committed;
        try (Stream<Path> files = Files.list(CRDS)) {
            committed = files.map(p -> p.getFileName().toString()).sorted().toList();
        }
        try (Stream<Path> files = Files.list(CHART.resolve("crds"))) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted()).containsExactlyElementsOf(committed);
        }
        for (String name : committed) {
            assertThat(Files.mismatch(CRDS.resolve(name), CHART.resolve("crds").resolve(name)))
                    .as("helm/botfleet/crds/%s differs from crds/%s: run ./mvnw -Pupdate-crds -pl api process-classes",
                            name, name)
                    .isEqualTo(-1L);
        }
    }

    @Test
    void defaultInstallIsClusterWideWithLeastPrivilege() {
        List<HasMetadata> objects = render(t -> { });

        assertThat(ofKind(objects, Role.class)).isEmpty();
        List<PolicyRule> rules = ofKind(objects, ClusterRole.class).get(0).getRules();
        assertThat(rules).extracting(r -> r.getApiGroups() + " " + r.getResources() + " " + r.getVerbs())
                .containsExactlyInAnyOrder(
                        "[botfleet.dev] [llmproviders] [list, watch]",
                        "[botfleet.dev] [botruntimes] [list, watch, create, delete]",
                        "[botfleet.dev] [llmbots] [list, watch, patch]",
                        "[botfleet.dev] [llmproviders/status, llmbots/status, botruntimes/status] [update]",
                        "[] [configmaps, services] [list, watch, create, update, delete]",
                        "[apps] [deployments] [list, watch, create, update, delete]",
                        "[autoscaling] [horizontalpodautoscalers] [list, watch, create, update, delete]",
                        "[policy] [poddisruptionbudgets] [list, watch, create, update, delete]",
                        "[] [secrets] [get, list, watch]",
                        "[] [events] [create, get, patch]");
        assertThat(rules).noneMatch(r -> r.getVerbs().contains("*") || r.getResources().contains("*"));

        Container operator = operatorContainer(objects);
        assertThat(operator.getImage()).isEqualTo("ghcr.io/botfleet/operator:0.1.0");
        assertThat(env(operator)).containsEntry("BOTFLEET_NAMESPACES", "")
                .containsEntry("BOTFLEET_RUNTIME_IMAGE", "ghcr.io/botfleet/bot-runtime:0.1.0")
                .containsEntry("BOTFLEET_LEADER_ELECTION", "false");
        assertThat(operator.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(operator.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(ofKind(objects, Deployment.class).get(0).getSpec().getTemplate().getSpec().getSecurityContext()
                .getRunAsNonRoot()).isTrue();
        assertThat(operator.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
        assertThat(objects).noneMatch(o -> o.getKind().equals("ServiceMonitor"));
    }

    @Test
    void listedNamespacesGetRolesAndNoClusterWideAccess() throws IOException {
        Path values = Files.createTempFile("values", ".yaml");
        Files.writeString(values, "watchNamespaces: [team-a, team-b]\n");
        List<HasMetadata> objects = render(t -> t.withValuesFile(values));

        assertThat(ofKind(objects, ClusterRole.class)).isEmpty();
        assertThat(objects).noneMatch(o -> o.getKind().equals("ClusterRoleBinding"));
        assertThat(ofKind(objects, Role.class)).extracting(r -> r.getMetadata().getNamespace())
                .containsExactlyInAnyOrder("team-a", "team-b");
        assertThat(env(operatorContainer(objects))).containsEntry("BOTFLEET_NAMESPACES", "team-a,team-b");
    }

    @Test
    void moreThanOneReplicaElectsALeaderThroughALeaseInTheReleaseNamespace() {
        List<HasMetadata> objects = render(t -> t.set("operator.replicas", 2));

        assertThat(env(operatorContainer(objects))).containsEntry("BOTFLEET_LEADER_ELECTION", "true")
                .containsEntry("BOTFLEET_LEASE_NAMESPACE", "botfleet-system");
        Role leases = ofKind(objects, Role.class).stream()
                .filter(r -> r.getMetadata().getName().endsWith("leader-election")).findFirst().orElseThrow();
        assertThat(leases.getMetadata().getNamespace()).isEqualTo("botfleet-system");
        assertThat(leases.getRules()).singleElement().satisfies(rule -> {
            assertThat(rule.getResources()).containsExactly("leases");
            assertThat(rule.getVerbs()).containsExactly("get", "create", "update", "patch");
        });
    }

    @Test
    void runtimeDefaultsReachTheOperator() {
        List<HasMetadata> objects = render(t -> t.set("runtime.replicas", 3)
                .set("runtime.image.tag", "1.2.3")
                .set("runtime.logFormat", "ecs")
                .set("runtime.nodeSelector.pool", "bots"));
        Map<String, String> env = env(operatorContainer(objects));
        assertThat(env).containsEntry("BOTFLEET_RUNTIME_REPLICAS", "3")
                .containsEntry("BOTFLEET_RUNTIME_IMAGE", "ghcr.io/botfleet/bot-runtime:1.2.3")
                .containsEntry("BOTFLEET_RUNTIME_LOG_FORMAT", "ecs")
                .containsEntry("BOTFLEET_RUNTIME_NODE_SELECTOR", "{\"pool\":\"bots\"}");
        assertThat(env.get("BOTFLEET_RUNTIME_RESOURCES")).contains("\"memory\":\"256Mi\"");
    }

    @Test
    void poesApiAndTheSettingsSyncReachTheOperator() {
        assertThat(env(operatorContainer(render(t -> { }))))
                .containsEntry("BOTFLEET_POE_API_URL", "https://api.poe.com/bot/")
                .containsEntry("BOTFLEET_POE_SETTINGS_SYNC", "true");
        assertThat(env(operatorContainer(render(t -> t.set("poe.apiUrl", "https://poe-proxy.internal/bot/")
                .set("poe.settingsSync.enabled", false)))))
                .containsEntry("BOTFLEET_POE_API_URL", "https://poe-proxy.internal/bot/")
                .containsEntry("BOTFLEET_POE_SETTINGS_SYNC", "false");
        assertThatThrownBy(() -> render(t -> t.set("poe.apiUrl", "api.poe.com"))).hasMessageContaining("apiUrl");
    }

    @Test
    void theDefaultRedisOfRuntimeGroupsReachesTheOperatorAsJson() {
        assertThat(env(operatorContainer(render(t -> { })))).doesNotContainKey("BOTFLEET_REDIS");
        assertThat(env(operatorContainer(render(t -> t.set("redis.url", "rediss://redis.shared.svc:6380")
                .set("redis.passwordSecret.name", "redis").set("redis.passwordSecret.key", "password")))))
                .containsEntry("BOTFLEET_REDIS", "{\"onFailure\":\"open\",\"passwordSecretRef\":"
                        + "{\"key\":\"password\",\"name\":\"redis\"},\"url\":\"rediss://redis.shared.svc:6380\"}");
        assertThatThrownBy(() -> render(t -> t.set("redis.url", "redis://:hunter2@redis:6379")))
                .hasMessageContaining("url");
        assertThatThrownBy(() -> render(t -> t.set("redis.onFailure", "closed"))).as("no url")
                .hasMessageContaining("redis");
    }

    /** The operator's egress: DNS, the API server and HTTPS, for Poe's API. */
    @Test
    void aNetworkPolicyLetsTheOperatorReachTheApiServerAndPoeOnly() {
        assertThat(render(t -> { })).noneMatch(o -> o.getKind().equals("NetworkPolicy"));
        List<HasMetadata> objects = render(t -> t.set("networkPolicy.enabled", true)
                .set("networkPolicy.apiServerPort", 6443));
        io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy policy = ofKind(objects,
                io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy.class).get(0);
        assertThat(policy.getSpec().getPodSelector().getMatchLabels()).isEqualTo(ofKind(objects, Deployment.class)
                .get(0).getSpec().getSelector().getMatchLabels());
        assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress", "Egress");
        assertThat(policy.getSpec().getEgress()).flatExtracting(rule -> rule.getPorts())
                .extracting(port -> port.getProtocol() + "/" + port.getPort().getIntVal())
                .containsExactlyInAnyOrder("UDP/53", "TCP/53", "TCP/6443", "TCP/443");
        assertThat(policy.getSpec().getIngress()).flatExtracting(rule -> rule.getPorts())
                .extracting(port -> port.getPort().getIntVal()).containsExactly(8081);
    }

    @Test
    void serviceMonitorScrapesTheRuntimes() {
        List<HasMetadata> objects = render(t -> t.set("metrics.serviceMonitor.enabled", true));
        GenericKubernetesResource monitor = objects.stream().filter(o -> o.getKind().equals("ServiceMonitor"))
                .map(GenericKubernetesResource.class::cast).findFirst().orElseThrow();
        assertThat(Serialization.asJson(monitor)).contains("/actuator/prometheus", "\"any\":true");
    }

    @Test
    void aTypoOrAWrongTypeInValuesIsRefused() throws IOException {
        Path typo = Files.createTempFile("values", ".yaml");
        Files.writeString(typo, "operater:\n  replicas: 2\n");
        assertThatThrownBy(() -> render(t -> t.withValuesFile(typo))).hasMessageContaining("operater");

        assertThatThrownBy(() -> render(t -> t.set("runtime.logFormat", "xml"))).hasMessageContaining("logFormat");
        assertThatThrownBy(() -> render(t -> t.set("operator.replicas", 0))).hasMessageContaining("replicas");
        assertThatThrownBy(() -> render(t -> t.set("recheckInterval", "soon"))).hasMessageContaining("recheckInterval");
        assertThatThrownBy(() -> render(t -> t.set("operator.podSecurityContext.runAsNonroot", true)))
                .hasMessageContaining("runAsNonroot");
        assertThatThrownBy(() -> render(t -> t.set("operator.securityContext.readOnlyRootFileSystem", true)))
                .hasMessageContaining("readOnlyRootFileSystem");
        assertThatThrownBy(() -> render(t -> t.set("operator.tolerations[0].operator", "Equals")))
                .hasMessageContaining("operator");
        assertThatThrownBy(() -> render(t -> t.set("operator.affinity.nodeAfinity.x", "y")))
                .hasMessageContaining("nodeAfinity");
        assertThatThrownBy(() -> render(t -> t.set("operator.resources.requests.cpu", "null")))
                .hasMessageContaining("cpu");
        assertThatThrownBy(() -> render(t -> t.set("runtime.resources.limits.memory", "lots")))
                .hasMessageContaining("memory");
    }

    @Test
    void anUmbrellaChartsGlobalValuesAreAccepted() {
        assertThat(render(t -> t.set("global.imageRegistry", "registry.example.com"))).isNotEmpty();
    }

    @Test
    void withoutWatchingSecretsTheOperatorOnlyGetsThem() {
        List<HasMetadata> objects = render(t -> t.set("watchSecrets", false));
        assertThat(ofKind(objects, ClusterRole.class).get(0).getRules()).filteredOn(r -> r.getResources()
                .contains("secrets")).singleElement().satisfies(r -> assertThat(r.getVerbs()).containsExactly("get"));
        assertThat(env(operatorContainer(objects))).containsEntry("BOTFLEET_WATCH_SECRETS", "false");
    }

    @Test
    void notesNameTheWatchedNamespacesAndNoLocalPaths() {
        String notes = new Helm(CHART).install().withName("botfleet").withNamespace("botfleet-system")
                .set("watchNamespaces[0]", "team-a").clientOnly().dryRun().withKubeVersion("1.30.0").call()
                .getOutput();
        assertThat(notes).contains("only in: team-a", "kubectl -n team-a create secret", "raw.githubusercontent.com")
                .doesNotContain("-f examples/");
    }
}
