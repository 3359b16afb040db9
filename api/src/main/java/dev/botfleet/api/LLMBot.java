package dev.botfleet.api;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A Poe server bot answering from an LLMProvider. */
@Group(LLMProvider.GROUP)
@Version(LLMProvider.VERSION)
@ShortNames("llmb")
@Categories("botfleet")
@JsonClassDescription("A Poe server bot: the provider and model that answer it, its prompt and sampling "
        + "settings, and the Secret with its Poe access key.")
@AdditionalPrinterColumn(name = "Provider", jsonPath = ".spec.providerRef.name")
@AdditionalPrinterColumn(name = "Model", jsonPath = ".spec.model")
@AdditionalPrinterColumn(name = "Runtime", jsonPath = ".spec.runtime")
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE)
public class LLMBot extends CustomResource<LLMBotSpec, LLMBotStatus> implements Namespaced {

    public static final String KIND = "LLMBot";

    @Override
    @JsonPropertyDescription("Desired state of the bot.")
    @Required
    public LLMBotSpec getSpec() {
        return super.getSpec();
    }

    @Override
    @JsonPropertyDescription("Observed state of the bot, written by the operator.")
    public LLMBotStatus getStatus() {
        return super.getStatus();
    }
}
