package dev.botfleet.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The control plane of e2e/cluster (etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kwok with one
 * fake Node), started once for the whole suite in target/e2e/cluster and stopped when the JVM exits.
 */
final class ControlPlane {

    static final Path REPO = Path.of(System.getProperty("botfleet.repo", "..")).toAbsolutePath().normalize();
    static final Path WORK = Path.of(System.getProperty("botfleet.e2e.dir", "target/e2e")).toAbsolutePath();

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ControlPlane instance;

    private final Map<String, String> scriptEnvironment;
    private final Path kubeconfig;
    private final Path bin;
    private final Path tools;
    private final KubernetesClient admin;

    private ControlPlane(Map<String, String> scriptEnvironment, Path kubeconfig, Map<String, String> paths) {
        this.scriptEnvironment = scriptEnvironment;
        this.kubeconfig = kubeconfig;
        this.bin = Path.of(paths.get("BOTFLEET_K8S_BIN"));
        this.tools = Path.of(paths.get("BOTFLEET_TOOLS"));
        this.admin = clientFor(kubeconfig);
    }

    /** The running control plane, started on first use. */
    static synchronized ControlPlane get() {
        if (instance == null) {
            Map<String, String> environment = Map.of("BOTFLEET_CLUSTER_DIR", WORK.resolve("cluster").toString());
            Map<String, String> paths = script(environment, "env").out().lines()
                    .map(line -> line.split("=", 2))
                    .collect(Collectors.toMap(pair -> pair[0], pair -> pair[1]));
            String kubeconfig = script(environment, "start").out().strip();
            instance = new ControlPlane(environment, Path.of(kubeconfig), paths);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> script(environment, "stop")));
        }
        return instance;
    }

    private static Command.Result script(Map<String, String> environment, String subcommand) {
        return Command.of(List.of("bash", REPO.resolve("e2e/cluster").toString(), subcommand))
                .withEnvironment(environment).withTimeout(java.time.Duration.ofMinutes(5)).run().orFail();
    }

    static KubernetesClient clientFor(Path kubeconfig) {
        try {
            Config config = Config.fromKubeconfig(null, Files.readString(kubeconfig), kubeconfig.toString());
            config.setRequestTimeout(30_000);
            return new KubernetesClientBuilder().withConfig(config).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A client with cluster-admin rights (system:masters). */
    KubernetesClient admin() {
        return admin;
    }

    Path kubeconfig() {
        return kubeconfig;
    }

    Path runDirectory() {
        return Path.of(scriptEnvironment.get("BOTFLEET_CLUSTER_DIR"));
    }

    Path auditLog() {
        return runDirectory().resolve("audit.log");
    }

    /** {@code kubectl apply} of {@code yaml} into {@code namespace}, as the administrator. */
    void apply(String namespace, String yaml) {
        kubectl("apply", "-n", namespace, "-f", "-").withInput(yaml).run().orFail();
    }

    /** An LLMBot of the echo handler, which needs no provider. */
    static String echoBot(String name) {
        return """
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {name: %s}
                spec: {handler: echo}
                """.formatted(name);
    }

    /** An LLMBot of the echo handler that answers only callers with {@code key}, and the Secret holding it. */
    static String guardedEchoBot(String name, String key) {
        return """
                apiVersion: v1
                kind: Secret
                metadata: {name: %1$s-access}
                stringData: {access-key: %2$s}
                ---
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {name: %1$s}
                spec: {handler: echo, accessKeySecretRef: {name: %1$s-access, key: access-key}}
                """.formatted(name, key);
    }

    /** kubectl as the administrator. */
    Command kubectl(String... arguments) {
        return kubectlAs(kubeconfig, arguments);
    }

    Command kubectlAs(Path config, String... arguments) {
        List<String> command = new ArrayList<>(List.of(bin.resolve("kubectl").toString(), "--kubeconfig",
                config.toString()));
        command.addAll(List.of(arguments));
        return Command.of(command);
    }

    /** helm as the administrator. */
    Command helm(String... arguments) {
        List<String> command = new ArrayList<>(List.of(tools.resolve("helm").toString(), "--kubeconfig",
                kubeconfig.toString()));
        command.addAll(List.of(arguments));
        return Command.of(command).withEnvironment(Map.of("HELM_CACHE_HOME", WORK.resolve("helm/cache").toString(),
                "HELM_CONFIG_HOME", WORK.resolve("helm/config").toString(),
                "HELM_DATA_HOME", WORK.resolve("helm/data").toString()));
    }

    /** The API server's address. */
    URI server() {
        return URI.create(adminSetting("server"));
    }

    /** The id the audit log knows a ServiceAccount token by. */
    private static String credentialId(String token) {
        try {
            return "JTI=" + JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1])).path("jti").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String token(String namespace, String serviceAccount) {
        return kubectl("create", "token", serviceAccount, "-n", namespace, "--duration", "24h").run()
                .orFail().out().strip();
    }

    private String adminSetting(String key) {
        try {
            return Files.readString(kubeconfig).lines().map(String::strip).filter(line -> line.startsWith(key + ":"))
                    .findFirst().orElseThrow().substring(key.length() + 1).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A kubeconfig holding a ServiceAccount's token, and the id the audit log knows that token by. */
    record Login(Path kubeconfig, String credentialId) {
    }

    /**
     * A kubeconfig that authenticates as a ServiceAccount with a new token from the TokenRequest API, the way a
     * pod of that ServiceAccount would.
     */
    Login loginAs(String namespace, String serviceAccount) {
        String token = token(namespace, serviceAccount);
        try {
            String server = server().toString();
            String ca = adminSetting("certificate-authority");
            String jti = credentialId(token).substring("JTI=".length());
            Path file = WORK.resolve("kubeconfig-" + serviceAccount + "-" + jti);
            Files.createDirectories(WORK);
            Files.writeString(file, """
                    apiVersion: v1
                    kind: Config
                    clusters: [{name: e2e, cluster: {server: %s, certificate-authority: %s}}]
                    users: [{name: %s, user: {token: %s}}]
                    contexts: [{name: e2e, context: {cluster: e2e, user: %s, namespace: %s}}]
                    current-context: e2e
                    """.formatted(server, ca, serviceAccount, token, serviceAccount, namespace));
            return new Login(file, "JTI=" + jti);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
