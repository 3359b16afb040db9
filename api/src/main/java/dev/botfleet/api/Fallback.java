package dev.botfleet.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A provider and model tried when the ones before it fail before the first token. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Fallback {

    @Required
    @JsonPropertyDescription("LLMProvider to try, in the same namespace.")
    private ProviderRef providerRef;

    @Size(min = 1, max = 256)
    @JsonPropertyDescription("Model to ask that provider for. Default: the provider's defaultModel.")
    private String model;

    public Fallback() {
    }

    public Fallback(ProviderRef providerRef, String model) {
        this.providerRef = providerRef;
        this.model = model;
    }

    public ProviderRef getProviderRef() {
        return providerRef;
    }

    public void setProviderRef(ProviderRef providerRef) {
        this.providerRef = providerRef;
    }

    public String getModel() {
        return model;
    }

    public void setModel(String model) {
        this.model = model;
    }
}
