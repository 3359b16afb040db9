package dev.botfleet.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

import java.util.Objects;

/** A reference to an LLMProvider in the same namespace. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ProviderRef {

    @Required
    @Pattern(Validation.DNS_SUBDOMAIN)
    @Size(min = 1, max = 253)
    @JsonPropertyDescription("Name of the LLMProvider, in the same namespace.")
    private String name;

    public ProviderRef() {
    }

    public ProviderRef(String name) {
        this.name = name;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProviderRef other && Objects.equals(name, other.name);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(name);
    }

    @Override
    public String toString() {
        return name;
    }
}
