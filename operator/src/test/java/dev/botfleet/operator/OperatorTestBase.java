package dev.botfleet.operator;

import dev.botfleet.api.BotRuntime;
import dev.botfleet.api.LLMBot;
import dev.botfleet.api.LLMProvider;
import dev.botfleet.operator.reconcile.Conditions;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.javaoperatorsdk.operator.Operator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.io.InputStream;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The real operator against fabric8's mock API server in CRUD mode (create, watch, patch, delete), with the
 * botfleet CRDs installed. The test plays the part of the Deployment controller where it needs one.
 */
@EnableKubernetesMockClient(crud = true)
public abstract class OperatorTestBase {

    protected static final String NAMESPACE = "team-a";
    protected static final String OPENAI_KEY = "sk-test-openai-value-never-copied";
    protected static final String ACCESS_KEY = "poe-access-key-value-never-copied";

    protected KubernetesMockServer server;
    protected KubernetesClient client;
    protected Operator operator;

    protected final OperatorSettings settings = settingsForMock(environment());

    /** The operator's environment variables for this test class; none by default. */
    protected Map<String, String> environment() {
        return Map.of();
    }

    /** The operator's settings with {@code variables} set, server-side apply off: the mock does not serve it. */
    public static OperatorSettings settingsForMock(Map<String, String> variables) {
        return OperatorSettings.from(name -> "BOTFLEET_SERVER_SIDE_APPLY".equals(name) ? "false" : variables.get(name));
    }

    @BeforeEach
    void startOperator() {
        for (String crd : List.of("llmproviders.botfleet.dev-v1.yml", "llmbots.botfleet.dev-v1.yml",
                "botruntimes.botfleet.dev-v1.yml")) {
            try (InputStream in = getClass().getResourceAsStream("/META-INF/fabric8/" + crd)) {
                client.apiextensions().v1().customResourceDefinitions().load(in).create();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        operator = OperatorMain.create(client, settings);
        operator.start();
    }

    @AfterEach
    void stopOperator() {
        operator.stop();
    }

    protected void restartOperator() {
        operator.stop();
        operator = OperatorMain.create(client, settings);
        operator.start();
    }

    protected static ConditionView ready(io.fabric8.kubernetes.client.CustomResource<?, ? extends dev.botfleet.api.ResourceStatus> resource) {
        dev.botfleet.api.Condition condition = resource == null ? null : Conditions.find(resource.getStatus());
        return condition == null ? new ConditionView(null, null, null) :
                new ConditionView(condition.getStatus(), condition.getReason(), condition.getMessage());
    }

    protected record ConditionView(String status, String reason, String message) {
    }

    /** Creates the resource, or replaces it as a person applying the manifest would (the operator may have made it). */
    protected <T extends io.fabric8.kubernetes.api.model.HasMetadata> T apply(String yaml, Class<T> type) {
        T resource = Serialization.unmarshal(yaml, type);
        resource.getMetadata().setNamespace(NAMESPACE);
        // The operator writes the resource's status meanwhile; a replace that loses that race is tried again.
        for (int attempt = 1; ; attempt++) {
            try {
                return client.resource(resource).createOr(NonDeletingOperation::update);
            } catch (KubernetesClientException conflict) {
                if (conflict.getCode() != HttpURLConnection.HTTP_CONFLICT || attempt == 5) {
                    throw conflict;
                }
            }
        }
    }

    protected Secret secret(String name, Map<String, String> values) {
        return client.resource(new SecretBuilder().withNewMetadata().withName(name).withNamespace(NAMESPACE)
                .endMetadata().withStringData(values).build()).create();
    }

    protected LLMProvider provider(String name, String secret) {
        return apply("""
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMProvider
                metadata: {name: %s}
                spec:
                  baseUrl: https://api.openai.com/v1
                  defaultModel: gpt-4o-mini
                  apiKeySecretRef: {name: %s, key: api-key}
                """.formatted(name, secret), LLMProvider.class);
    }

    protected LLMBot bot(String name, String provider, String runtime, String extraSpec) {
        return apply("""
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {name: %s}
                spec:
                  providerRef: {name: %s}
                  runtime: %s
                %s
                """.formatted(name, provider, runtime, extraSpec.indent(2)), LLMBot.class);
    }

    /** Creates the group's BotRuntime with {@code spec}, or replaces its spec. */
    protected void runtimeSpec(String group, String spec) {
        apply("""
                apiVersion: botfleet.dev/v1alpha1
                kind: BotRuntime
                metadata: {name: %s}
                spec: %s
                """.formatted(group, spec), BotRuntime.class);
    }

    protected LLMBot getBot(String name) {
        return client.resources(LLMBot.class).inNamespace(NAMESPACE).withName(name).get();
    }

    protected LLMProvider getProvider(String name) {
        return client.resources(LLMProvider.class).inNamespace(NAMESPACE).withName(name).get();
    }

    protected BotRuntime runtime(String group) {
        return client.resources(BotRuntime.class).inNamespace(NAMESPACE).withName(group).get();
    }

    protected ConfigMap configMap(String group) {
        return client.configMaps().inNamespace(NAMESPACE).withName("botfleet-" + group).get();
    }

    protected Deployment deployment(String group) {
        return client.apps().deployments().inNamespace(NAMESPACE).withName("botfleet-" + group).get();
    }

    protected Service service(String group) {
        return client.services().inNamespace(NAMESPACE).withName("botfleet-" + group).get();
    }

    /** What the Deployment controller would do once pods are up. */
    protected void markAvailable(String group) {
        Deployment deployment = deployment(group);
        deployment.setStatus(new DeploymentStatusBuilder().withReplicas(1).withAvailableReplicas(1)
                .withReadyReplicas(1).build());
        client.resource(deployment).updateStatus();
    }

    protected void awaitBot(String name, String reason) {
        awaitBot(name, reason, Duration.ofSeconds(15));
    }

    protected void awaitBot(String name, String reason, Duration atMost) {
        await().atMost(atMost).untilAsserted(() ->
                assertThat(ready(getBot(name))).as("Ready condition of bot " + name)
                        .extracting(ConditionView::reason).isEqualTo(reason));
    }

    /** The write requests (anything but GET) the API server received since the last call. */
    protected List<String> takeWrites() throws InterruptedException {
        List<String> writes = new ArrayList<>();
        RecordedRequest request;
        while ((request = server.takeRequest(10, TimeUnit.MILLISECONDS)) != null) {
            if (!"GET".equals(request.getMethod())) {
                writes.add(request.getMethod() + " " + request.getPath());
            }
        }
        return writes;
    }

    /**
     * Waits until the operator has written nothing for three group write intervals (a deferred group write comes
     * within one), then returns what it wrote.
     */
    protected List<String> writesUntilQuiet() throws InterruptedException {
        List<String> writes = new ArrayList<>();
        long quietSince = System.nanoTime();
        while (System.nanoTime() - quietSince < settings.groupWriteInterval().multipliedBy(3).toNanos()) {
            List<String> batch = takeWrites();
            if (!batch.isEmpty()) {
                writes.addAll(batch);
                quietSince = System.nanoTime();
            }
            Thread.sleep(100);
        }
        return writes;
    }
}
