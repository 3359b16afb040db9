package dev.botfleet.operator.desired;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Lifecycle;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * The Deployment every runtime group starts from ({@code runtime-deployment.yaml}), and what the operator reads
 * out of it: where the runtime looks for Secrets, and the preStop sleep that the termination grace period must
 * cover. Read and checked when the operator starts, so that a template without them stops it with a message
 * naming what is missing.
 */
public final class RuntimeTemplate {

    static final String RESOURCE = "runtime-deployment.yaml";
    private static final String SECRETS_DIR_ARGUMENT = "--secrets-dir=";

    private static RuntimeTemplate shipped;

    private final Deployment deployment;
    private final String secretsDir;
    private final long preStopSeconds;

    private RuntimeTemplate(Deployment deployment, String secretsDir, long preStopSeconds) {
        this.deployment = deployment;
        this.secretsDir = secretsDir;
        this.preStopSeconds = preStopSeconds;
    }

    /** The template in the operator's jar, read at the first call. */
    public static synchronized RuntimeTemplate shipped() {
        if (shipped == null) {
            try (InputStream in = RuntimeTemplate.class.getResourceAsStream("/" + RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException(RESOURCE + " is not in the operator's jar");
                }
                shipped = parse(RESOURCE, new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(RESOURCE + ": cannot read", e);
            }
        }
        return shipped;
    }

    static RuntimeTemplate parse(String name, String yaml) {
        Deployment deployment = Serialization.unmarshal(yaml, Deployment.class);
        List<Container> containers = deployment.getSpec() == null || deployment.getSpec().getTemplate() == null
                ? List.of() : deployment.getSpec().getTemplate().getSpec().getContainers();
        if (containers.isEmpty()) {
            throw new IllegalStateException(name + ": spec.template.spec.containers[0] must be the runtime");
        }
        Container runtime = containers.get(0);
        String secretsDir = Optional.ofNullable(runtime.getArgs()).orElse(List.of()).stream()
                .filter(argument -> argument.startsWith(SECRETS_DIR_ARGUMENT)).findFirst()
                .map(argument -> argument.substring(SECRETS_DIR_ARGUMENT.length()))
                .filter(dir -> !dir.isBlank())
                .orElseThrow(() -> new IllegalStateException(name + ": the runtime container needs an argument "
                        + SECRETS_DIR_ARGUMENT + "DIR, where each Secret is mounted"));
        Long preStop = Optional.ofNullable(runtime.getLifecycle()).map(Lifecycle::getPreStop)
                .map(handler -> handler.getSleep() == null ? null : handler.getSleep().getSeconds())
                .orElseThrow(() -> new IllegalStateException(name + ": the runtime container needs "
                        + "lifecycle.preStop.sleep.seconds, the time Services take to stop routing to a stopping pod"));
        return new RuntimeTemplate(deployment, secretsDir.endsWith("/") ? secretsDir : secretsDir + "/", preStop);
    }

    /** A copy of the template to fill in. */
    Deployment deployment() {
        return Serialization.clone(deployment);
    }

    /** Where the runtime looks for Secrets, ending in {@code /}; each Secret is mounted below it. */
    String secretsDir() {
        return secretsDir;
    }

    /** The preStop sleep: the pod keeps serving while Services stop routing to it, then drains. */
    long preStopSeconds() {
        return preStopSeconds;
    }
}
