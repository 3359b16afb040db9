package dev.botfleet.operator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.botfleet.api.BotRuntimeSpec;
import dev.botfleet.api.Durations;
import dev.botfleet.api.GroupConfig;
import dev.botfleet.api.LLMBot;
import dev.botfleet.api.LLMProvider;
import dev.botfleet.api.LLMProviderSpec;
import dev.botfleet.api.SecretKeyRef;
import dev.botfleet.api.SharedCounts;
import dev.botfleet.api.poe.PoeApi;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a runtime group's ConfigMap, Deployment and Service should look like. The Deployment and Service carry a
 * hash of their desired spec, so a change is detected without comparing against fields the API server defaults.
 */
public final class GroupWorkload {

    public static final String HASH_ANNOTATION = "botfleet.dev/desired-hash";
    private static final Deployment TEMPLATE = loadTemplate();
    /** Where the template's runtime looks for Secrets ({@code --secrets-dir}); each Secret is mounted below it. */
    static final String SECRETS_DIR = TEMPLATE.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs()
            .stream().filter(argument -> argument.startsWith("--secrets-dir=")).findFirst().orElseThrow()
            .substring("--secrets-dir=".length()) + "/";
    /** The template's preStop sleep: the pod keeps serving while Services stop routing to it, then drains. */
    static final long PRE_STOP_SECONDS = TEMPLATE.getSpec().getTemplate().getSpec().getContainers().get(0)
            .getLifecycle().getPreStop().getSleep().getSeconds();
    /** Time for the JVM to stop after the drain, within the termination grace period. */
    static final long SHUTDOWN_SECONDS = 10;
    /** Where the scheduler spreads a group's pods by default, as far as it can. */
    private static final List<String> SPREAD_ACROSS = List.of("kubernetes.io/hostname", "topology.kubernetes.io/zone");

    private static final ObjectMapper CANONICAL = Serialization.jsonMapper().copy()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private GroupWorkload() {
    }

    public static ConfigMap configMap(RuntimeGroup group, GroupConfig config, List<LLMBot> owners) {
        return new ConfigMapBuilder()
                .withMetadata(new ObjectMetaBuilder(metadata(group))
                        .withOwnerReferences(owners.stream().map(GroupWorkload::owner).toList()).build())
                .withData(Map.of(RuntimeGroup.CONFIG_KEY, config.yaml()))
                .build();
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
        BotRuntimeSpec custom = overrides.orElseGet(BotRuntimeSpec::new);
        Map<String, String> podLabels = new TreeMap<>(Objects.requireNonNullElse(custom.getPodLabels(), Map.of()));
        podLabels.putAll(group.labels());
        long drainSeconds = Math.max(1, (drainTimeout.toMillis() + 999) / 1000);
        Deployment deployment = new DeploymentBuilder(Serialization.clone(TEMPLATE))
                .withMetadata(new ObjectMetaBuilder(metadata(group)).withOwnerReferences(owner(owner)).build())
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
        pod.setTerminationGracePeriodSeconds(PRE_STOP_SECONDS + drainSeconds + SHUTDOWN_SECONDS);
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
                    .withMountPath(SECRETS_DIR + secret.getKey()).withReadOnly(true).build());
        }
        return withHash(deployment, deployment.getSpec());
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

    static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }

    public static Service service(RuntimeGroup group, ConfigMap owner) {
        Service service = new ServiceBuilder()
                .withMetadata(new ObjectMetaBuilder(metadata(group)).withOwnerReferences(owner(owner)).build())
                .withNewSpec()
                .withType("ClusterIP")
                .withSelector(group.selector())
                .addNewPort().withName("http").withPort(80).withNewTargetPort("http").withProtocol("TCP").endPort()
                .addNewPort().withName("management").withPort(8081).withNewTargetPort("management")
                .withProtocol("TCP").endPort()
                .endSpec()
                .build();
        return withHash(service, service.getSpec());
    }

    public static String hashOf(io.fabric8.kubernetes.api.model.HasMetadata resource) {
        Map<String, String> annotations = resource.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(HASH_ANNOTATION);
    }

    static <T extends io.fabric8.kubernetes.api.model.HasMetadata> T withHash(T resource, Object spec) {
        resource.getMetadata().setAnnotations(Map.of(HASH_ANNOTATION, sha256(canonicalJson(spec))));
        return resource;
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

    static ObjectMeta metadata(RuntimeGroup group) {
        return new ObjectMetaBuilder().withName(group.objectName()).withNamespace(group.namespace())
                .withLabels(group.labels()).build();
    }

    static OwnerReference owner(io.fabric8.kubernetes.api.model.HasMetadata owner) {
        return new OwnerReferenceBuilder()
                .withApiVersion(owner.getApiVersion())
                .withKind(owner.getKind())
                .withName(owner.getMetadata().getName())
                .withUid(owner.getMetadata().getUid())
                .build();
    }

    /**
     * The spec as JSON with every map's keys sorted: label and resource maps built with {@code Map.of} iterate in
     * an order that changes from one JVM to the next, and a hash over that order made a restarted operator
     * rewrite every Deployment and Service.
     */
    static String canonicalJson(Object spec) {
        try {
            return CANONICAL.writeValueAsString(spec);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8))).substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Deployment loadTemplate() {
        try (InputStream in = GroupWorkload.class.getResourceAsStream("/runtime-deployment.yaml")) {
            return Serialization.unmarshal(in, Deployment.class);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
