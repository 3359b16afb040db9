package dev.botfleet.operator;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.botfleet.api.Durations;
import dev.botfleet.api.SharedCounts;
import dev.botfleet.api.Validation;
import dev.botfleet.api.poe.PoeApi;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * The operator's configuration, read from environment variables (the Helm chart sets them).
 *
 * @param namespaces        namespaces to watch; empty means all
 * @param runtimeImage      image of the bot-runtime containers
 * @param runtimeReplicas   replicas of each runtime group's Deployment
 * @param runtimeResources  resources of the runtime container
 * @param imagePullSecrets  pull secrets for runtime pods
 * @param nodeSelector      node selector of runtime pods
 * @param tolerations       tolerations of runtime pods
 * @param watchSecrets      whether the operator watches (lists) the Secrets {@code secretSelector} selects, to react at
 *                          once to changes; without it, it only reads the Secrets it needs, and re-checks missing
 *                          ones every {@code recheckInterval}
 * @param secretSelector    label selector of the Secrets the operator watches to react at once to changes
 * @param recheckInterval   how often a resource waiting for something unwatched (an unlabelled Secret) is checked
 * @param groupWriteInterval shortest time between two reconciles (so rewrites) of one runtime group: bots that change
 *                          within it are written together, so a burst of a thousand new bots is a few writes
 * @param leaderElection    whether replicas elect a leader through a Lease
 * @param leaseNamespace    namespace of that Lease (default: the operator's own)
 * @param runtimeLogFormat  log format of runtime pods: plain, or a Spring Boot structured format (ecs, logstash,
 *                          gelf)
 * @param healthPort        port of the operator's /healthz and /readyz
 * @param exitOnLostLeadership whether the process exits when it loses leadership (so Kubernetes restarts it);
 *                             off only where the operator is embedded, as in tests
 * @param leaderIdentity    the name this replica holds the Lease under: its pod's name (POD_NAME, set by the chart)
 *                          or host name; null lets the operator SDK make one up
 * @param serverSideApply   whether the operator SDK patches the resources it reconciles (finalizers) with
 *                          server-side apply; off only against an API mock that lacks it
 * @param poeApiUrl         Poe's bot API, where settings are pushed ({@code update_settings}); a fake of it in tests
 * @param poeSettingsSync   whether the operator pushes the settings of bots with {@code spec.poe.botName} to Poe
 * @param redis             the Redis of groups whose BotRuntime names none ({@code BOTFLEET_REDIS}, JSON as in
 *                          {@code BotRuntime.spec.redis}); null: their replicas count on their own
 */
public record OperatorSettings(
        Set<String> namespaces,
        String runtimeImage,
        int runtimeReplicas,
        ResourceRequirements runtimeResources,
        List<String> imagePullSecrets,
        Map<String, String> nodeSelector,
        List<Toleration> tolerations,
        boolean watchSecrets,
        String secretSelector,
        Duration recheckInterval,
        Duration groupWriteInterval,
        boolean leaderElection,
        String leaseNamespace,
        String runtimeLogFormat,
        int healthPort,
        boolean exitOnLostLeadership,
        String leaderIdentity,
        boolean serverSideApply,
        String poeApiUrl,
        boolean poeSettingsSync,
        SharedCounts redis) {

    public static final String DEFAULT_RUNTIME_IMAGE = "ghcr.io/botfleet/bot-runtime:0.1.0";
    public static final String DEFAULT_SECRET_SELECTOR = "botfleet.dev/watch";

    private static final ObjectMapper JSON = new ObjectMapper();

    public static OperatorSettings fromEnvironment() {
        return from(System::getenv);
    }

    /** Reads settings through {@code env}, which answers null for unset variables. */
    public static OperatorSettings from(UnaryOperator<String> env) {
        return new OperatorSettings(
                csv(env.apply("BOTFLEET_NAMESPACES")).stream().collect(Collectors.toUnmodifiableSet()),
                or(env.apply("BOTFLEET_RUNTIME_IMAGE"), DEFAULT_RUNTIME_IMAGE),
                Integer.parseInt(or(env.apply("BOTFLEET_RUNTIME_REPLICAS"), "1")),
                json(env.apply("BOTFLEET_RUNTIME_RESOURCES"), new TypeReference<>() { }, defaultResources()),
                csv(env.apply("BOTFLEET_RUNTIME_IMAGE_PULL_SECRETS")),
                json(env.apply("BOTFLEET_RUNTIME_NODE_SELECTOR"), new TypeReference<>() { }, Map.of()),
                json(env.apply("BOTFLEET_RUNTIME_TOLERATIONS"), new TypeReference<>() { }, List.of()),
                Boolean.parseBoolean(or(env.apply("BOTFLEET_WATCH_SECRETS"), "true")),
                or(env.apply("BOTFLEET_SECRET_SELECTOR"), DEFAULT_SECRET_SELECTOR),
                Durations.parse(or(env.apply("BOTFLEET_RECHECK_INTERVAL"), "60s")),
                Durations.parse(or(env.apply("BOTFLEET_GROUP_WRITE_INTERVAL"), "1s")),
                Boolean.parseBoolean(or(env.apply("BOTFLEET_LEADER_ELECTION"), "false")),
                env.apply("BOTFLEET_LEASE_NAMESPACE"),
                or(env.apply("BOTFLEET_RUNTIME_LOG_FORMAT"), "plain"),
                Integer.parseInt(or(env.apply("BOTFLEET_HEALTH_PORT"), "8081")),
                Boolean.parseBoolean(or(env.apply("BOTFLEET_EXIT_ON_LOST_LEADERSHIP"), "true")),
                or(env.apply("POD_NAME"), env.apply("HOSTNAME")),
                Boolean.parseBoolean(or(env.apply("BOTFLEET_SERVER_SIDE_APPLY"), "true")),
                or(env.apply("BOTFLEET_POE_API_URL"), PoeApi.DEFAULT_BASE_URL),
                Boolean.parseBoolean(or(env.apply("BOTFLEET_POE_SETTINGS_SYNC"), "true")),
                redis(json(env.apply("BOTFLEET_REDIS"), new TypeReference<SharedCounts>() { }, null)));
    }

    /** Checked as the CRD checks a BotRuntime's, so that a wrong chart value stops the operator rather than pods. */
    private static SharedCounts redis(SharedCounts redis) {
        if (redis != null && (redis.getUrl() == null || !redis.getUrl().matches(Validation.REDIS_URL))) {
            throw new IllegalArgumentException("BOTFLEET_REDIS: url must be redis://[user@]host[:port][/db] or "
                    + "rediss://, without a password (that comes from passwordSecretRef)");
        }
        return redis;
    }

    private static ResourceRequirements defaultResources() {
        ResourceRequirements resources = new ResourceRequirements();
        resources.setRequests(Map.of("cpu", new io.fabric8.kubernetes.api.model.Quantity("100m"),
                "memory", new io.fabric8.kubernetes.api.model.Quantity("256Mi")));
        resources.setLimits(Map.of("memory", new io.fabric8.kubernetes.api.model.Quantity("512Mi")));
        return resources;
    }

    private static String or(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value.strip();
    }

    private static List<String> csv(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        return Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private static <T> T json(String value, TypeReference<T> type, T fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return JSON.readValue(value, type);
        } catch (Exception e) {
            throw new IllegalArgumentException("not valid JSON for " + type.getType() + ": " + e.getMessage(), e);
        }
    }
}
