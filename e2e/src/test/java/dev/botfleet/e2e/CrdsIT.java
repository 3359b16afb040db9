package dev.botfleet.e2e;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The generated CRDs on the real API server: structural schemas, CEL, printer columns, explain, refusals. */
@Order(1)
class CrdsIT {

    private static ControlPlane cluster;

    @BeforeAll
    static void installCrds() {
        cluster = ControlPlane.get();
        Crds.install(cluster);
    }

    @Test
    void crdsAreAcceptedAndEstablishedByServerSideApply() {
        Command.Result again = cluster.kubectl("apply", "--server-side", "-f", ControlPlane.REPO.resolve("crds")
                .toString()).run().orFail();
        assertThat(again.out()).contains("customresourcedefinition.apiextensions.k8s.io/llmbots.botfleet.dev "
                + "serverside-applied", "llmproviders.botfleet.dev serverside-applied",
                "botruntimes.botfleet.dev serverside-applied");
        for (String crd : Crds.NAMES) {
            CustomResourceDefinition stored = cluster.admin().apiextensions().v1().customResourceDefinitions()
                    .withName(crd).get();
            assertThat(stored.getStatus().getConditions())
                    .anySatisfy(c -> {
                        assertThat(c.getType()).isEqualTo("Established");
                        assertThat(c.getStatus()).isEqualTo("True");
                    })
                    .noneSatisfy(c -> assertThat(c.getType()).isEqualTo("NonStructuralSchema"));
        }
    }

    /**
     * The documented upgrade, {@code kubectl apply --server-side --force-conflicts}, over a CRD that Helm created
     * (client-side, as {@code helm install} does with crds/): without {@code --force-conflicts} a changed field
     * conflicts with Helm's ownership. Run on a copy of the LLMBot CRD in a group of its own.
     */
    @Test
    void crdsCreatedByHelmAreUpgradedWithForceConflicts() throws IOException {
        String original = Files.readString(ControlPlane.REPO.resolve("crds/llmbots.botfleet.dev-v1.yml"))
                .replace("llmbots.botfleet.dev", "llmbots.upgrade.botfleet.dev")
                .replace("group: \"botfleet.dev\"", "group: \"upgrade.botfleet.dev\"")
                .replace("group: botfleet.dev", "group: upgrade.botfleet.dev");
        assertThat(original).contains("upgrade.botfleet.dev");
        cluster.kubectl("create", "--field-manager=helm", "-f", "-").withInput(original).run().orFail();
        String upgraded = original.replace("Upper bound on tokens generated per answer",
                "Upper bound on the tokens generated per answer");

        Command.Result plain = cluster.kubectl("apply", "--server-side", "-f", "-").withInput(upgraded).run();
        Command.Result forced = cluster.kubectl("apply", "--server-side", "--force-conflicts", "-f", "-")
                .withInput(upgraded).run();

        assertThat(plain.succeeded()).isFalse();
        assertThat(plain.err()).contains("conflict");
        assertThat(forced.succeeded()).as(forced.toString()).isTrue();
        cluster.kubectl("delete", "crd", "llmbots.upgrade.botfleet.dev").run().orFail();
    }

    @Test
    void kubectlExplainPrintsTheFieldDescriptions() throws IOException {
        CustomResourceDefinition crd = Serialization.unmarshal(Files.readString(
                ControlPlane.REPO.resolve("crds/llmbots.botfleet.dev-v1.yml")), CustomResourceDefinition.class);
        String description = crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema().getProperties()
                .get("spec").getProperties().get("temperature").getDescription();

        String explained = cluster.kubectl("explain", "llmbot.spec.temperature").run().orFail().out();

        assertThat(explained).contains("FIELD: temperature <number>");
        assertThat(explained.replaceAll("\\s+", " ")).contains(description.replaceAll("\\s+", " "));
    }

    @Test
    void kubectlGetShowsThePrinterColumns() {
        String namespace = Namespaces.create(cluster.admin(), "columns");
        cluster.kubectl("apply", "-n", namespace, "-f", "-").withInput("""
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMProvider
                metadata: {name: local}
                spec: {baseUrl: 'http://127.0.0.1:9/v1', defaultModel: llama3}
                ---
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {name: helper}
                spec: {providerRef: {name: local}, model: qwen2, runtime: team}
                """).run().orFail();

        List<String> bots = cluster.kubectl("get", "llmbots", "-n", namespace).run().orFail().out().lines().toList();
        List<String> providers = cluster.kubectl("get", "llmproviders", "-n", namespace).run().orFail().out()
                .lines().toList();
        List<String> both = cluster.kubectl("get", "botfleet", "-n", namespace).run().orFail().out().lines().toList();

        assertThat(bots.get(0).split("\\s+")).containsExactly("NAME", "AGE", "MODEL", "PROVIDER", "RUNTIME",
                "READY");
        assertThat(bots.get(1).split("\\s+")).startsWith("helper").contains("qwen2", "local", "team");
        assertThat(providers.get(0).split("\\s+")).containsExactly("NAME", "AGE", "BASE", "URL", "DEFAULT",
                "MODEL", "READY");
        assertThat(providers.get(1)).contains("http://127.0.0.1:9/v1", "llama3");
        assertThat(String.join("\n", both)).contains("llmprovider.botfleet.dev/local", "llmbot.botfleet.dev/helper");
    }

    @Test
    void everyExampleIsAcceptedByTheApiServer() throws IOException {
        List<Path> examples;
        try (Stream<Path> files = Files.walk(ControlPlane.REPO.resolve("examples"))) {
            examples = files.filter(file -> file.toString().endsWith(".yaml"))
                    .filter(file -> !file.toString().contains("/target/")).sorted().toList();
        }
        assertThat(examples).hasSizeGreaterThanOrEqualTo(10);
        for (Path example : examples) {
            for (String namespace : namespacesNamedIn(example)) {
                if (cluster.admin().namespaces().withName(namespace).get() == null) {
                    cluster.kubectl("create", "namespace", namespace).run().orFail();
                }
            }
            cluster.kubectl("apply", "--dry-run=server", "-f", example.toString()).run().orFail();
        }
    }

    private static List<String> namespacesNamedIn(Path manifest) throws IOException {
        return Files.readAllLines(manifest).stream().map(String::strip)
                .filter(line -> line.startsWith("namespace:"))
                .map(line -> line.substring("namespace:".length()).strip()).distinct().toList();
    }

    /**
     * The same verdict from the API server and from {@code botfleet validate} for every manifest of both tables:
     * a refusal naming the field, or acceptance.
     */
    @Test
    void theApiServerAndTheOfflineValidatorAgreeOnEveryManifest() throws IOException {
        String namespace = Namespaces.create(cluster.admin(), "parity");
        List<Corpus.Manifest> bad = Corpus.bad();
        List<Corpus.Manifest> good = Corpus.good();
        assertThat(bad).hasSizeGreaterThanOrEqualTo(30);

        Map<String, String> server = new HashMap<>();
        for (Corpus.Manifest manifest : Stream.concat(bad.stream(), good.stream()).toList()) {
            Command.Result result = cluster.kubectl("create", "--dry-run=server", "--validate=strict", "-n", namespace,
                    "-f", "-").withInput(manifest.yaml()).run();
            server.put(manifest.toString(), result.succeeded() ? "" : result.err());
        }
        Map<String, List<String>> offline = OfflineValidation.fieldsWithErrors(Stream.concat(bad.stream(),
                good.stream()).toList());

        List<String> disagreements = new ArrayList<>();
        for (Corpus.Manifest manifest : bad) {
            String refusal = server.get(manifest.toString());
            if (refusal.isEmpty() || !refusal.contains(manifest.expectedField())) {
                disagreements.add(manifest + ": the API server should refuse it naming " + manifest.expectedField()
                        + ", said: " + (refusal.isEmpty() ? "created" : refusal.strip()));
            }
            if (!offline.getOrDefault(manifest.toString(), List.of()).contains(manifest.expectedField())) {
                disagreements.add(manifest + ": botfleet validate should refuse it naming "
                        + manifest.expectedField() + ", said: " + offline.get(manifest.toString()));
            }
        }
        for (Corpus.Manifest manifest : good) {
            if (!server.get(manifest.toString()).isEmpty()) {
                disagreements.add(manifest + ": the API server refused it: " + server.get(manifest.toString()));
            }
            if (offline.containsKey(manifest.toString())) {
                disagreements.add(manifest + ": botfleet validate refused it: " + offline.get(manifest.toString()));
            }
        }
        assertThat(disagreements).isEmpty();
    }
}
