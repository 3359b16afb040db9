package dev.botfleet.api;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PricingTest {

    private static Pricing pricing(Long perMessage, Long perMillionInput, Long perMillionOutput) {
        Pricing pricing = new Pricing();
        pricing.setPerMessage(perMessage);
        pricing.setPerMillionInputTokens(perMillionInput);
        pricing.setPerMillionOutputTokens(perMillionOutput);
        return pricing;
    }

    /** Poe's amounts are whole usd_milli_cents: a fraction of one is rounded up, never given away. */
    @Test
    void eachLineIsPricedAndRoundedUpAndLinesOfZeroAreLeftOut() {
        Pricing pricing = pricing(500L, 300_000L, 1_500_000L);
        assertThat(pricing.items(11, 2)).containsExactly(new Pricing.Item(500, "Message"),
                new Pricing.Item(4, "11 input tokens"), new Pricing.Item(3, "2 output tokens"));
        assertThat(pricing.items(1_000_000, 0)).containsExactly(new Pricing.Item(500, "Message"),
                new Pricing.Item(300_000, "1,000,000 input tokens"));
        assertThat(pricing.cost(11, 2)).isEqualTo(507);
        assertThat(pricing(0L, null, 1L).items(999_999, 1)).as("one token at a millionth is still a whole one")
                .containsExactly(new Pricing.Item(1, "1 output token"));
        assertThat(pricing(null, null, 0L).cost(5, 5)).isZero();
    }

    @Test
    void theLargestAnswersCostWithoutOverflow() {
        Pricing most = pricing(Pricing.MOST_PER_MESSAGE, Pricing.MOST_PER_MILLION_TOKENS,
                Pricing.MOST_PER_MILLION_TOKENS);
        assertThat(most.cost(10_000_000, 10_000_000)).isEqualTo(1_000_000 + 2 * 1_000_000_000L);
    }

    @Test
    void theRateCardAndLabelShowEveryPriceInPoesTag() {
        Pricing everything = pricing(500L, 300_000L, 1_500_000L);
        assertThat(everything.rateCard()).isEqualTo("""
                | | Price |
                | --- | --- |
                | Per message | [usd_milli_cents=500] |
                | Input | [usd_milli_cents=300000] per million tokens |
                | Output | [usd_milli_cents=1500000] per million tokens |""");
        assertThat(everything.costLabel()).isEqualTo("[usd_milli_cents=500]+");
        assertThat(pricing(2_000L, null, null).costLabel()).isEqualTo("[usd_milli_cents=2000]");
        assertThat(pricing(null, 300_000L, 1_500_001L).costLabel())
                .isEqualTo("[usd_milli_cents=1501] per 1,000 output tokens");
        assertThat(pricing(0L, 300_000L, 0L).costLabel()).isEqualTo("[usd_milli_cents=300] per 1,000 input tokens");
        assertThat(everything.pricesTokens()).isTrue();
        assertThat(pricing(10L, 0L, null).pricesTokens()).isFalse();
    }

    @Test
    void theSettingsCarryThePricingUnlessSpecPoeSaysOtherwise() {
        LLMBotSpec bot = new LLMBotSpec();
        bot.setPricing(pricing(500L, null, null));
        PoeBotSettings made = PoeBotSettings.of(bot, name -> java.util.Optional.empty());
        assertThat(made.costLabel()).isEqualTo("[usd_milli_cents=500]");
        assertThat(made.rateCard()).contains("| Per message | [usd_milli_cents=500] |");

        PoeSettings poe = new PoeSettings();
        poe.setCostLabel("A coffee");
        bot.setPoe(poe);
        PoeBotSettings own = PoeBotSettings.of(bot, name -> java.util.Optional.empty());
        assertThat(own.costLabel()).isEqualTo("A coffee");
        assertThat(own.rateCard()).as("each is its own choice").contains("[usd_milli_cents=500]");
    }
}
