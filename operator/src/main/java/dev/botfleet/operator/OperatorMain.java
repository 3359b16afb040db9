package dev.botfleet.operator;

import dev.botfleet.operator.desired.RuntimeTemplate;
import dev.botfleet.operator.reconcile.DefaultRuntimes;
import dev.botfleet.operator.reconcile.EventRecorder;
import dev.botfleet.operator.reconcile.GroupOutcomes;
import dev.botfleet.operator.reconcile.GroupReconciler;
import dev.botfleet.operator.reconcile.GroupWriteInterval;
import dev.botfleet.operator.reconcile.LLMBotReconciler;
import dev.botfleet.operator.reconcile.LLMProviderReconciler;
import dev.botfleet.operator.reconcile.SecretKeys;
import dev.botfleet.operator.write.GroupWriter;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
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
        // The API server names the field manager of a write after the client's user agent: the operator's own name
        // tells its writes apart from everyone else's (see DefaultRuntimes).
        KubernetesClient client = new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder().withUserAgent(DefaultRuntimes.FIELD_MANAGER).build()).build();
        Operator operator = create(client, settings);
        operator.installShutdownHook(Duration.ofSeconds(10));
        new HealthEndpoint(settings.healthPort(), operator.getRuntimeInfo());
        operator.start();
        log.info("botfleet operator started; watching {}", settings.namespaces().isEmpty() ? "all namespaces"
                : settings.namespaces());
    }

    /**
     * The operator with its controllers registered. The operator SDK's own patches of the reconciled resources
     * (adding and removing the finalizer) use server-side apply unless the settings turn it off for an API mock;
     * the runtime groups' objects are written by {@link GroupWriter}.
     */
    public static Operator create(KubernetesClient client, OperatorSettings settings) {
        // Read now, so that a template the operator cannot use stops it at once, with what is missing.
        RuntimeTemplate.shipped();
        Operator operator = new Operator(overrider -> {
            overrider.withKubernetesClient(client)
                    .withUseSSAToPatchPrimaryResource(settings.serverSideApply())
                    .withCloseClientOnStop(false);
            if (settings.leaderElection()) {
                overrider.withLeaderElectionConfiguration(new LeaderElectionConfiguration(LEASE_NAME,
                        settings.leaseNamespace(), Duration.ofSeconds(15), Duration.ofSeconds(10),
                        Duration.ofSeconds(2), settings.leaderIdentity(), null, settings.exitOnLostLeadership()));
            }
        });
        SecretKeys secrets = new SecretKeys(client);
        EventRecorder events = new EventRecorder(client);
        operator.register(new LLMProviderReconciler(secrets, events, settings), c -> configure(c, settings));
        GroupOutcomes outcomes = new GroupOutcomes();
        operator.register(new LLMBotReconciler(outcomes, secrets, events, settings), c -> configure(c, settings));
        operator.register(new GroupReconciler(new GroupWriter(client), outcomes, events, settings), c -> {
            configure(c, settings);
            // One reconcile of a group per interval: the events of a burst are folded into the next.
            c.withRateLimiter(new GroupWriteInterval(settings.groupWriteInterval()));
        });
        return operator;
    }

    /**
     * Watched namespaces, and retries that never give up: a refusal fixed later (a permission granted, a quota
     * raised) is noticed within the recheck interval, without waiting for the resource to change.
     */
    private static void configure(ControllerConfigurationOverrider<?> configuration, OperatorSettings settings) {
        if (!settings.namespaces().isEmpty()) {
            configuration.settingNamespaces(settings.namespaces());
        }
        configuration.withRetry(new GenericRetry().setInitialInterval(Duration.ofSeconds(1)).setIntervalMultiplier(2)
                .setMaxInterval(settings.recheckInterval().toMillis()).withoutMaxAttempts());
    }
}
