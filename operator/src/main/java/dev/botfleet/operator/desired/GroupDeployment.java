package dev.botfleet.operator.desired;

import dev.botfleet.api.BotRuntimeSpec;
import dev.botfleet.api.Durations;
import dev.botfleet.api.LLMBot;
import dev.botfleet.api.LLMProvider;
import dev.botfleet.api.LLMProviderSpec;
import dev.botfleet.api.SecretKeyRef;
import dev.botfleet.api.SharedCounts;
import dev.botfleet.api.poe.PoeApi;
import dev.botfleet.operator.OperatorSettings;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a runtime group's Deployment should look like: the runtime template filled in with the group's image,
 * replicas, scheduling, Secret volumes, drain timeout and grace period, carrying the hash of its desired spec.
 */
public final class GroupDeployment {

    /** Time for the JVM to stop after the drain, within the termination grace period. */
    static final long SHUTDOWN_SECONDS = 10;
    /** Where the scheduler spreads a group's pods by default, as far as it can. */
    private static final List<String> SPREAD_ACROSS = List.of("kubernetes.io/hostname", "topology.kubernetes.io/zone");

    private GroupDeployment() {
    }

    /** The Secret keys a group's pods need: each bot's access key and each used provider's API key. */
    public static SortedMap<String, SortedSet<String>> mountedSecrets(List<LLMBot> bots, List<LLMProvider> providers) {
        SortedMap<String, SortedSet<String>> secrets = new TreeMap<>();
        for (LLMBot bot : bots) {
            add(secrets, bot.getSpec().getAccessKeySecretRef());
        }
        for (LLMProvider provider : providers) {
            add(secrets, provider.getSpec().getApiKeySecretRef());
        }
        return secrets;
    }

    /**
     * How long a stopping pod of the group lets open answers finish: the BotRuntime's drainTimeout, or twice the
     * longest timeout of the group's providers (an answer still streaming has, within one timeout, either sent
     * more or failed; twice leaves room for an answer that is long rather than stalled).
     */
    public static Duration drainTimeout(Optional<BotRuntimeSpec> overrides, List<LLMProvider> providers) {
        return overrides.map(BotRuntimeSpec::getDrainTimeout).map(Durations::parse)
                .orElseGet(() -> providers.stream().map(provider -> provider.getSpec().effectiveTimeout())
                        .max(Duration::compareTo).orElse(LLMProviderSpec.DEFAULT_TIMEOUT).multipliedBy(2));
    }

    /**
     * @param overrides    the group's BotRuntime spec, whose set fields replace the operator's defaults
     * @param drainTimeout see {@link #drainTimeout}; the termination grace period adds the preStop sleep and
     *                     time for the JVM to stop
     */
    public static Deployment deployment(RuntimeGroup group, SortedMap<String, SortedSet<String>> secrets,
                                        OperatorSettings settings, ConfigMap owner, Optional<BotRuntimeSpec> overrides,
                                        Duration drainTimeout) {
        RuntimeTemplate template = RuntimeTemplate.shipped();
        BotRuntimeSpec custom = overrides.orElseGet(BotRuntimeSpec::new);
        Map<String, String> podLabels = new TreeMap<>(Objects.requireNonNullElse(custom.getPodLabels(), Map.of()));
        podLabels.putAll(group.labels());
        long drainSeconds = Math.max(1, (drainTimeout.toMillis() + 999) / 1000);
        Deployment deployment = new DeploymentBuilder(template.deployment())
                .withMetadata(new ObjectMetaBuilder(GroupObjects.metadata(group)).withOwnerReferences(GroupObjects.owner(owner)).build())
                .editSpec()
                .withReplicas(GroupScaling.fixedReplicas(custom, settings))
                .withSelector(new LabelSelectorBuilder().withMatchLabels(group.selector()).build())
                .editTemplate()
                .withNewMetadata().withLabels(podLabels).withAnnotations(custom.getPodAnnotations()).endMetadata()
                .endTemplate()
                .endSpec()
                .build();
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        Container runtime = pod.getContainers().get(0);
        runtime.getArgs().add("--botfleet.drain-timeout=" + drainSeconds + "s");
        if (!PoeApi.DEFAULT_BASE_URL.equals(settings.poeApiUrl())) {
            // Priced bots charge through the Poe API the operator pushes settings to; the default adds no argument,
            // so that the Deployments of an installation on Poe's own API do not change.
            runtime.getArgs().add("--botfleet.poe-api-url=" + settings.poeApiUrl());
        }
        SharedCounts redis = or(custom.getRedis(), settings.redis());
        if (redis != null) {
            shareCounts(runtime, redis, group.namespace());
        }
        pod.setTerminationGracePeriodSeconds(template.preStopSeconds() + drainSeconds + SHUTDOWN_SECONDS);
        List<TopologySpreadConstraint> spread = or(custom.getTopologySpreadConstraints(), spread(group));
        pod.setTopologySpreadConstraints(spread.isEmpty() ? null : spread);
        runtime.setImage(or(custom.getImage(), settings.runtimeImage()));
        runtime.setResources(or(custom.getResources(), settings.runtimeResources()));
        if (!"plain".equals(settings.runtimeLogFormat())) {
            runtime.getEnv().add(new EnvVar("LOGGING_STRUCTURED_FORMAT_CONSOLE", settings.runtimeLogFormat(), null));
        }
        pod.setImagePullSecrets(settings.imagePullSecrets().stream().map(LocalObjectReference::new).toList());
        Map<String, String> nodeSelector = or(custom.getNodeSelector(), settings.nodeSelector());
        pod.setNodeSelector(nodeSelector.isEmpty() ? null : nodeSelector);
        List<Toleration> tolerations = or(custom.getTolerations(), settings.tolerations());
        pod.setTolerations(tolerations.isEmpty() ? null : tolerations);
        pod.getVolumes().add(new VolumeBuilder().withName("config")
                .withNewConfigMap().withName(group.objectName()).endConfigMap().build());
        int index = 0;
        for (Map.Entry<String, SortedSet<String>> secret : secrets.entrySet()) {
            String volume = "secret-" + index++;
            pod.getVolumes().add(secretVolume(volume, secret.getKey(), secret.getValue()));
            runtime.getVolumeMounts().add(new VolumeMountBuilder().withName(volume)
                    .withMountPath(template.secretsDir() + secret.getKey()).withReadOnly(true).build());
        }
        return DesiredHash.stamp(deployment, deployment.getSpec());
    }

    /**
     * Points the runtime at the group's Redis; the password reaches it from the Secret as an environment variable,
     * never in the Deployment. Keys start with the namespace, so that the groups of many namespaces can share one
     * Redis (a bot's name is unique within its namespace, whatever its group).
     */
    private static void shareCounts(Container runtime, SharedCounts redis, String namespace) {
        runtime.getArgs().add("--botfleet.redis.url=" + redis.getUrl());
        runtime.getArgs().add("--botfleet.redis.key-prefix=botfleet:" + namespace);
        if (redis.effectiveOnFailure() == SharedCounts.OnFailure.CLOSED) {
            runtime.getArgs().add("--botfleet.redis.on-failure=closed");
        }
        SecretKeyRef password = redis.getPasswordSecretRef();
        if (password != null) {
            runtime.getEnv().add(new EnvVarBuilder().withName("BOTFLEET_REDIS_PASSWORD").withNewValueFrom()
                    // Optional, as the Secret volumes are: the pod starts, and the runtime reports Redis refusing it.
                    .withNewSecretKeyRef().withName(password.getName()).withKey(password.getKey()).withOptional(true)
                    .endSecretKeyRef()
                    .endValueFrom().build());
        }
    }

    private static List<TopologySpreadConstraint> spread(RuntimeGroup group) {
        return SPREAD_ACROSS.stream().map(key -> new TopologySpreadConstraintBuilder()
                .withTopologyKey(key)
                .withMaxSkew(1)
                .withWhenUnsatisfiable("ScheduleAnyway")
                .withNewLabelSelector().withMatchLabels(group.selector()).endLabelSelector()
                // Only the pods of the same revision count, so a rolling update spreads the new ones too.
                .withMatchLabelKeys("pod-template-hash")
                .build()).toList();
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }

    private static Volume secretVolume(String name, String secret, SortedSet<String> keys) {
        return new VolumeBuilder().withName(name)
                .withNewSecret()
                .withSecretName(secret)
                // Optional: a missing Secret must not keep the pod from starting; the runtime reports it.
                .withOptional(true)
                .withItems(keys.stream().map(key -> new KeyToPath(key, null, key)).toList())
                .endSecret()
                .build();
    }

    private static void add(SortedMap<String, SortedSet<String>> secrets, SecretKeyRef ref) {
        if (ref != null) {
            secrets.computeIfAbsent(ref.getName(), name -> new TreeSet<>()).add(ref.getKey());
        }
    }
}
