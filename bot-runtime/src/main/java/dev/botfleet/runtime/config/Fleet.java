package dev.botfleet.runtime.config;

import dev.botfleet.api.LLMBot;
import dev.botfleet.api.LLMBotSpec;
import dev.botfleet.api.LLMProvider;
import dev.botfleet.api.ModelPrice;
import dev.botfleet.api.PoeBotSettings;
import dev.botfleet.api.ProviderTarget;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One consistent configuration: the bots, the providers they use and any Secret documents found beside them.
 * Immutable, so a reload swaps it whole and in-flight answers keep the one they started with.
 */
public final class Fleet {

    private final Map<String, LLMBot> bots;
    private final Map<String, LLMProvider> providers;
    private final Map<String, Map<String, String>> secrets;

    public Fleet(Map<String, LLMBot> bots, Map<String, LLMProvider> providers, Map<String, Map<String, String>> secrets) {
        this.bots = Map.copyOf(bots);
        this.providers = Map.copyOf(providers);
        this.secrets = Map.copyOf(secrets);
    }

    public static Fleet empty() {
        return new Fleet(Map.of(), Map.of(), Map.of());
    }

    public Optional<LLMBot> bot(String name) {
        return Optional.ofNullable(bots.get(name));
    }

    public Collection<LLMBot> bots() {
        return bots.values();
    }

    public Collection<LLMProvider> providers() {
        return providers.values();
    }

    public Optional<LLMProvider> provider(String name) {
        return Optional.ofNullable(providers.get(name));
    }

    /** The model first asked for {@code bot}'s answers: its first target's, or that provider's default. */
    public String firstModel(LLMBotSpec bot) {
        List<ProviderTarget> targets = bot.targets();
        if (targets.isEmpty()) {
            return bot.getModel();
        }
        return modelOf(targets.get(0));
    }

    /** The model {@code target} asks for: its own, or its provider's default. */
    public String modelOf(ProviderTarget target) {
        return provider(target.providerName()).map(p -> p.getSpec().modelFor(target.model())).orElse(target.model());
    }

    /**
     * Whether {@code bot} has usd_milli_cents budgets that its first model's answers count nothing against: it has no
     * spec.pricing, and its first provider's spec.prices do not list the model.
     */
    public boolean moneyBudgetUnpriced(LLMBotSpec bot) {
        if (bot.getBudgets() == null || !bot.getBudgets().countsMoney() || bot.getPricing() != null) {
            return false;
        }
        List<ProviderTarget> targets = bot.targets();
        return targets.isEmpty() || priceOf(targets.get(0).providerName(), firstModel(bot)).isEmpty();
    }

    /** What LLMProvider {@code provider} charges for {@code model}, when its spec.prices lists it. */
    public Optional<ModelPrice> priceOf(String provider, String model) {
        return provider(provider).flatMap(p -> p.getSpec().priceOf(model));
    }

    /** The settings the bot answers Poe with, the Poe bots it calls derived from these providers. */
    public PoeBotSettings poeSettings(LLMBot bot) {
        return PoeBotSettings.of(bot.getSpec(), name -> provider(name).map(LLMProvider::getSpec));
    }

    /** The value of {@code key} in the Secret document {@code name}, if the manifests hold one. */
    public Optional<String> secretValue(String name, String key) {
        return Optional.ofNullable(secrets.getOrDefault(name, Map.of()).get(key));
    }
}
