package dev.botfleet.runtime.usage;

import dev.botfleet.api.ModelPrice;
import dev.botfleet.api.Pricing;
import dev.botfleet.handler.AnswerUsage.ModelUsage;
import dev.botfleet.runtime.config.Fleet;

import java.util.List;
import java.util.Optional;

/**
 * What an answer of one bot costs, for its usd_milli_cents budgets: each model's tokens at the price its LLMProvider
 * lists in {@code spec.prices}; the tokens of models not listed at the bot's {@code spec.pricing}, its price per
 * message included once. Tokens whose model is not known count as the bot's first model's.
 */
final class AnswerPrices {

    private final Fleet fleet;
    private final Pricing pricing;
    private final String primaryProvider;
    private final String primaryModel;

    AnswerPrices(Fleet fleet, Pricing pricing, String primaryProvider, String primaryModel) {
        this.fleet = fleet;
        this.pricing = pricing;
        this.primaryProvider = primaryProvider;
        this.primaryModel = primaryModel;
    }

    /** Tokens of the bot's first model. */
    ModelUsage primary(long inputTokens, long outputTokens) {
        return new ModelUsage(primaryProvider, primaryModel, inputTokens, outputTokens);
    }

    long cost(List<ModelUsage> uses) {
        long listed = 0;
        long unlistedInput = 0;
        long unlistedOutput = 0;
        boolean unlisted = false;
        for (ModelUsage use : uses) {
            boolean known = use.provider() != null;
            Optional<ModelPrice> price = priceOf(known ? use.provider() : primaryProvider,
                    known ? use.model() : primaryModel);
            if (price.isPresent()) {
                listed += price.get().cost(use.inputTokens(), use.outputTokens());
            } else {
                unlisted = true;
                unlistedInput += use.inputTokens();
                unlistedOutput += use.outputTokens();
            }
        }
        return unlisted && pricing != null ? listed + pricing.cost(unlistedInput, unlistedOutput) : listed;
    }

    private Optional<ModelPrice> priceOf(String provider, String model) {
        return provider == null ? Optional.empty() : fleet.priceOf(provider, model);
    }
}
