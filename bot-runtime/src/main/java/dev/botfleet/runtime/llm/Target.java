package dev.botfleet.runtime.llm;

/** A provider and model one attempt asks; the primary first, then each fallback. */
public record Target(String providerName, String model) {

    @Override
    public String toString() {
        return providerName + "/" + (model == null ? "<default model>" : model);
    }
}
