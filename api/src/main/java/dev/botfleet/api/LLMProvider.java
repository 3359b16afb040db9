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

/** An OpenAI-compatible endpoint that LLMBots in the same namespace answer from. */
@Group(LLMProvider.GROUP)
@Version(LLMProvider.VERSION)
@ShortNames("llmp")
@Categories("botfleet")
@JsonClassDescription("An OpenAI-compatible LLM endpoint and the Secret holding its API key.")
@AdditionalPrinterColumn(name = "Base URL", jsonPath = ".spec.baseUrl")
@AdditionalPrinterColumn(name = "Default Model", jsonPath = ".spec.defaultModel")
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE)
public class LLMProvider extends CustomResource<LLMProviderSpec, LLMProviderStatus> implements Namespaced {

    public static final String GROUP = "botfleet.dev";
    public static final String VERSION = "v1alpha1";
    /** The apiVersion of every botfleet document. */
    public static final String API_VERSION = GROUP + "/" + VERSION;
    public static final String KIND = "LLMProvider";

    @Override
    @JsonPropertyDescription("Desired state of the provider.")
    @Required
    public LLMProviderSpec getSpec() {
        return super.getSpec();
    }

    @Override
    @JsonPropertyDescription("Observed state of the provider, written by the operator.")
    public LLMProviderStatus getStatus() {
        return super.getStatus();
    }
}
