package dev.botfleet.api;

/**
 * A provider and the model a bot asks it for (null: the provider's default): the bot's primary, or one of its
 * fallbacks, in the order they are tried.
 */
public record ProviderTarget(String providerName, String model) {

    @Override
    public String toString() {
        return providerName + "/" + (model == null ? "<default model>" : model);
    }
}
