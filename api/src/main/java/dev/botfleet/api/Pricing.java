package dev.botfleet.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a Poe user pays for one answer of a priced bot, in Poe's unit: thousandths of a US cent (usd_milli_cents;
 * 1,000 is one cent, 100,000 one dollar). Poe shows the points these amount to and charges them through its cost API.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value = "has(self.perMessage) || has(self.perMillionInputTokens) || has(self.perMillionOutputTokens)",
        message = "pricing needs a price: perMessage, perMillionInputTokens or perMillionOutputTokens",
        reason = "FieldValueRequired")
public class Pricing {

    /** Ten dollars: no one message of a chat bot should cost more, and a typo of a few zeros is caught. */
    static final long MOST_PER_MESSAGE = 1_000_000;
    /** A thousand dollars per million tokens, far above any model's list price. */
    static final long MOST_PER_MILLION_TOKENS = 100_000_000;

    @Min(0)
    @Max(MOST_PER_MESSAGE)
    @JsonPropertyDescription("Price of every answer, in usd_milli_cents (1000 = one US cent), 0 to 1000000.")
    private Long perMessage;

    @Min(0)
    @Max(MOST_PER_MILLION_TOKENS)
    @JsonPropertyDescription("Price of a million input tokens, in usd_milli_cents (300000 = $3), 0 to 100000000: "
            + "the tokens sent to the model, as the provider reports them.")
    private Long perMillionInputTokens;

    @Min(0)
    @Max(MOST_PER_MILLION_TOKENS)
    @JsonPropertyDescription("Price of a million output tokens, in usd_milli_cents, 0 to 100000000; needs "
            + "spec.maxTokens, which bounds what is authorized before the model is asked.")
    private Long perMillionOutputTokens;

    /** One line of what is charged, in Poe's cost items. */
    public record Item(long usdMilliCents, String description) {
    }

    /**
     * What an answer of {@code inputTokens} in and {@code outputTokens} out costs, line by line (the lines of zero
     * left out), each token line rounded up to the next whole usd_milli_cent as Poe's amounts are whole.
     */
    public List<Item> items(long inputTokens, long outputTokens) {
        List<Item> items = new ArrayList<>();
        if (perMessage != null && perMessage > 0) {
            items.add(new Item(perMessage, "Message"));
        }
        addTokens(items, inputTokens, perMillionInputTokens, "input");
        addTokens(items, outputTokens, perMillionOutputTokens, "output");
        return items;
    }

    /** The total of {@link #items}. */
    public long cost(long inputTokens, long outputTokens) {
        return items(inputTokens, outputTokens).stream().mapToLong(Item::usdMilliCents).sum();
    }

    private static void addTokens(List<Item> items, long tokens, Long perMillion, String kind) {
        long amount = tokens(tokens, perMillion);
        if (amount == 0) {
            return;
        }
        String unit = tokens == 1 ? "token" : "tokens";
        items.add(new Item(amount, String.format(Locale.ROOT, "%,d %s %s", tokens, kind, unit)));
    }

    /** What {@code tokens} cost at {@code perMillion} (none: free), rounded up to a whole usd_milli_cent. */
    static long tokens(long tokens, Long perMillion) {
        if (perMillion == null || perMillion == 0 || tokens <= 0) {
            return 0;
        }
        return roundedUp(Math.multiplyExact(tokens, perMillion), 1_000_000L);
    }

    private static long roundedUp(long dividend, long divisor) {
        return -Math.floorDiv(-dividend, divisor);
    }

    /** Whether tokens are priced: the cost then follows the provider's usage. */
    public boolean pricesTokens() {
        return positive(perMillionInputTokens) || positive(perMillionOutputTokens);
    }

    private static boolean positive(Long price) {
        return price != null && price > 0;
    }

    /** The rate card Poe shows: a Markdown table whose prices Poe converts to points. */
    public String rateCard() {
        StringBuilder card = new StringBuilder("| | Price |\n| --- | --- |\n");
        if (perMessage != null) {
            card.append("| Per message | ").append(points(perMessage)).append(" |\n");
        }
        if (perMillionInputTokens != null) {
            card.append("| Input | ").append(points(perMillionInputTokens)).append(" per million tokens |\n");
        }
        if (perMillionOutputTokens != null) {
            card.append("| Output | ").append(points(perMillionOutputTokens)).append(" per million tokens |\n");
        }
        return card.toString().stripTrailing();
    }

    /**
     * The short label beside the bot: the price of a message, followed by "+" when tokens add to it; for tokens
     * alone, the price of a thousand output tokens (or input, when output is free).
     */
    public String costLabel() {
        long message = perMessage == null ? 0 : perMessage;
        if (!pricesTokens()) {
            return points(message);
        }
        if (message > 0) {
            return points(message) + "+";
        }
        boolean output = positive(perMillionOutputTokens);
        long perThousand = roundedUp(output ? perMillionOutputTokens : perMillionInputTokens, 1000L);
        return points(perThousand) + " per 1,000 " + (output ? "output" : "input") + " tokens";
    }

    private static String points(long usdMilliCents) {
        return "[usd_milli_cents=" + usdMilliCents + "]";
    }

    public Long getPerMessage() {
        return perMessage;
    }

    public void setPerMessage(Long perMessage) {
        this.perMessage = perMessage;
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
