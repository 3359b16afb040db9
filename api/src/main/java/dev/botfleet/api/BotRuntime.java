package dev.botfleet.api;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * Settings of the runtime group of the same name in its namespace: image, replicas, resources, pod labels and
 * annotations, scheduling. Optional: without one, a group runs with the operator's defaults.
 */
@Group(LLMProvider.GROUP)
@Version(LLMProvider.VERSION)
@ShortNames("bfr")
@Categories("botfleet")
@JsonClassDescription("Settings of the runtime group of the same name.")
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(name = "Replicas", jsonPath = ".status.replicas", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Ready-Replicas", jsonPath = ".status.readyReplicas",
        type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Up-To-Date", jsonPath = ".status.updatedReplicas",
        type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Bots", jsonPath = ".status.botCount", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Image", jsonPath = ".spec.image", priority = 1)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE)
public class BotRuntime extends CustomResource<BotRuntimeSpec, BotRuntimeStatus> implements Namespaced {

    public static final String KIND = "BotRuntime";

    @Override
    @JsonPropertyDescription("Settings of the group; unset fields keep the operator's defaults.")
    @Required
    public BotRuntimeSpec getSpec() {
        return super.getSpec();
    }

    @Override
    @JsonPropertyDescription("Observed state, written by the operator.")
    public BotRuntimeStatus getStatus() {
        return super.getStatus();
    }
}
