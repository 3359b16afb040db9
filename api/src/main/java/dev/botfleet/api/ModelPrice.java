package dev.botfleet.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/** What a provider charges for one model's tokens, in usd_milli_cents (1,000 is one US cent) per million. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value = "has(self.perMillionInputTokens) || has(self.perMillionOutputTokens)",
        message = "a model's price needs perMillionInputTokens or perMillionOutputTokens",
        reason = "FieldValueRequired")
public class ModelPrice {

    @Min(0)
    @Max(Pricing.MOST_PER_MILLION_TOKENS)
    @JsonPropertyDescription("Price of a million input tokens, in usd_milli_cents (250000 = $2.50), 0 to 100000000.")
    private Long perMillionInputTokens;

    @Min(0)
    @Max(Pricing.MOST_PER_MILLION_TOKENS)
    @JsonPropertyDescription("Price of a million output tokens, in usd_milli_cents, 0 to 100000000.")
    private Long perMillionOutputTokens;

    public ModelPrice() {
    }

    public ModelPrice(Long perMillionInputTokens, Long perMillionOutputTokens) {
        this.perMillionInputTokens = perMillionInputTokens;
        this.perMillionOutputTokens = perMillionOutputTokens;
    }

    /** What {@code inputTokens} in and {@code outputTokens} out cost, each rounded up to a whole usd_milli_cent. */
    public long cost(long inputTokens, long outputTokens) {
        return Pricing.tokens(inputTokens, perMillionInputTokens)
                + Pricing.tokens(outputTokens, perMillionOutputTokens);
    }

    public Long getPerMillionInputTokens() {
        return perMillionInputTokens;
    }

    public void setPerMillionInputTokens(Long perMillionInputTokens) {
        this.perMillionInputTokens = perMillionInputTokens;
    }

    public Long getPerMillionOutputTokens() {
        return perMillionOutputTokens;
    }

    public void setPerMillionOutputTokens(Long perMillionOutputTokens) {
        this.perMillionOutputTokens = perMillionOutputTokens;
    }
}
