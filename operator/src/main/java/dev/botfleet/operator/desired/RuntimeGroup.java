package dev.botfleet.operator.desired;

import dev.botfleet.api.BotRuntime;
import dev.botfleet.api.LLMBot;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

import java.util.Map;

/** Bots of one namespace that share a runtime, and the names and labels of the objects they share. */
public record RuntimeGroup(String namespace, String name) {

    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String OPERATOR = "botfleet";
    public static final String GROUP_LABEL = "botfleet.dev/runtime";
    public static final String MANAGED_SELECTOR = MANAGED_BY + "=" + OPERATOR;
    public static final String CONFIG_KEY = "bots.yaml";

    public static RuntimeGroup of(BotRuntime runtime) {
        return new RuntimeGroup(runtime.getMetadata().getNamespace(), runtime.getMetadata().getName());
    }

    public static RuntimeGroup of(LLMBot bot) {
        return new RuntimeGroup(bot.getMetadata().getNamespace(), bot.getSpec().effectiveRuntime());
    }

    /** The group's BotRuntime. */
    public ResourceID runtimeId() {
        return new ResourceID(name, namespace);
    }

    /** The group's ConfigMap, Deployment, Service, autoscaler and disruption budget, which share one name. */
    public ResourceID objectsId() {
        return new ResourceID(objectName(), namespace);
    }

    /** The name of the group's ConfigMap, Deployment and Service. */
    public String objectName() {
        return "botfleet-" + name;
    }

    /** Key of the index of bots by group. */
    public String key() {
        return namespace + "/" + name;
    }

    public Map<String, String> labels() {
        return Map.of(MANAGED_BY, OPERATOR, GROUP_LABEL, name,
                "app.kubernetes.io/name", "bot-runtime", "app.kubernetes.io/instance", objectName());
    }

    public Map<String, String> selector() {
        return Map.of(GROUP_LABEL, name, "app.kubernetes.io/name", "bot-runtime");
    }

    public String endpoint(String bot) {
        return "http://" + objectName() + "." + namespace + ".svc/bots/" + bot;
    }
}
