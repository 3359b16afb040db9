package dev.botfleet.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/** Starts the botfleet operator against the cluster the fabric8 client finds (in-cluster, KUBECONFIG, …). */
public final class OperatorMain {

    public static final String LEASE_NAME = "botfleet-operator";

    private static final Logger log = LoggerFactory.getLogger(OperatorMain.class);

    private OperatorMain() {
    }

    public static void main(String[] args) throws java.io.IOException {
        OperatorSettings settings = OperatorSettings.fromEnvironment();
        KubernetesClient client = new KubernetesClientBuilder().build();
        Operator operator = create(client, settings);
        operator.installShutdownHook(Duration.ofSeconds(10));
        new HealthEndpoint(settings.healthPort(), operator.getRuntimeInfo());
        operator.start();
        log.info("botfleet operator started; watching {}", settings.namespaces().isEmpty() ? "all namespaces"
                : settings.namespaces());
    }

    /**
     * The operator with both controllers registered. Server-side apply is off for dependents and status: writes
     * are plain creates, updates and merge patches, the mode the tests run against the API mock.
     */
    public static Operator create(KubernetesClient client, OperatorSettings settings) {
        Operator operator = new Operator(overrider -> {
            overrider.withKubernetesClient(client)
                    .withSSABasedCreateUpdateMatchForDependentResources(false)
                    .withUseSSAToPatchPrimaryResource(false)
                    .withCloseClientOnStop(false);
            if (settings.leaderElection()) {
                overrider.withLeaderElectionConfiguration(new LeaderElectionConfiguration(LEASE_NAME,
                        settings.leaseNamespace(), Duration.ofSeconds(15), Duration.ofSeconds(10),
                        Duration.ofSeconds(2), null, null, settings.exitOnLostLeadership()));
            }
        });
        SecretKeys secrets = new SecretKeys(client);
        EventRecorder events = new EventRecorder(client);
        operator.register(new LLMProviderReconciler(secrets, events, settings), configuration -> {
            if (!settings.namespaces().isEmpty()) {
                configuration.settingNamespaces(settings.namespaces());
            }
        });
        operator.register(new LLMBotReconciler(new GroupWriter(client), secrets, events, settings), configuration -> {
            if (!settings.namespaces().isEmpty()) {
                configuration.settingNamespaces(settings.namespaces());
            }
        });
        operator.register(new BotRuntimeReconciler(events), configuration -> {
            if (!settings.namespaces().isEmpty()) {
                configuration.settingNamespaces(settings.namespaces());
            }
        });
        return operator;
    }
}
