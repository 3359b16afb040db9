package dev.botfleet.runtime;

import dev.botfleet.runtime.poe.UserError;
import dev.botfleet.testing.FakeOpenAiServer.Reply;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bot "spending" (maxTokens 5, 100 usd_milli_cents a message, no bot_query_id so nothing is charged through
 * Poe) may use 20 tokens per user and 300 usd_milli_cents per day; the fake provider reports 11 prompt tokens and
 * one completion token per chunk, so an answer of two chunks uses 13 tokens.
 */
class BudgetsTest extends RuntimeTestBase {

    private List<SseEvents.Event> ask(String user) {
        return poe.ask("spending", PoeClient.query("Hi").put("user_id", user), "Authorization",
                bearer(RELAY_ACCESS_KEY));
    }

    private double counted(String meter) {
        var counter = registry.find(meter).tags("bot", "spending").counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void budgetsCountWhatAnswersUsedAndRefuseBeforeTheProviderOnceSpent() {
        UPSTREAM.enqueue(Reply.chunks("one", " two"), Reply.chunks("three", " four"), Reply.chunks("five", " six"));

        assertThat(SseEvents.answer(ask("u-spender"))).isEqualTo("one two");
        assertThat(counted("botfleet.budget.tokens")).as("the usage the provider reported").isEqualTo(13);
        assertThat(SseEvents.answer(ask("u-spender"))).as("13 of 20 used: admitted").isEqualTo("three four");

        List<SseEvents.Event> refused = ask("u-spender");
        SseEvents.Event error = refused.get(refused.size() - 2);
        assertThat(error.name()).isEqualTo("error");
        assertThat(error.text()).startsWith("You’ve used your share of this bot for today. It resets in ")
                .matches(".* \\d+ h \\d+ min\\.");
        assertThat(error.data().path("allow_retry").asBoolean()).isFalse();
        assertThat(UPSTREAM.requests()).as("the refused query never reached the provider").hasSize(2);
        assertThat(registry.find("botfleet.queries.limited").tags("bot", "spending", "limit",
                "tokens_per_day_per_user").counter().count()).isEqualTo(1);

        assertThat(SseEvents.answer(ask("u-other"))).as("another user's budget is whole").isEqualTo("five six");
        assertThat(counted("botfleet.budget.spend")).isEqualTo(300);
        assertThat(registry.find("botfleet.budget.remaining").tags("bot", "spending", "budget",
                "usd_milli_cents_per_day").gauge().value()).isZero();

        assertTold(lastButDone(ask("u-third")), UserError.BOT_BUDGET_SPENT,
                hoursAndMinutes(lastButDone(ask("u-fourth")).text()));
        assertThat(UPSTREAM.requests()).hasSize(3);
    }

    private static SseEvents.Event lastButDone(List<SseEvents.Event> events) {
        return events.get(events.size() - 2);
    }

    /** The hours and minutes a refusal names, to compare two refusals' texts a moment apart. */
    private static Object[] hoursAndMinutes(String text) {
        var matcher = java.util.regex.Pattern.compile("(\\d+) h (\\d+) min").matcher(text);
        assertThat(matcher.find()).isTrue();
        return new Object[] {Long.parseLong(matcher.group(1)), Long.parseLong(matcher.group(2))};
    }

    @Test
    void anAnswerThatFailsBeforeTheModelUsedAnythingCostsNothing() {
        UPSTREAM.enqueue(Reply.status(400));
        double before = counted("botfleet.budget.tokens");

        List<SseEvents.Event> events = ask("u-unlucky");

        assertTold(lastButDone(events), UserError.PROVIDER_REFUSED);
        assertThat(counted("botfleet.budget.tokens")).isEqualTo(before);
    }

    /**
     * The bot "thrifty" has no pricing: its money budget counts each model's tokens at its provider's prices, m-once
     * at 1 and 2 usd_milli_cents per input and output token, its fallback m-backup at a tenth of one.
     */
    @Test
    void anUnpricedBotsMoneyBudgetCountsEachModelAtItsProvidersPrice() {
        UPSTREAM.enqueue(Reply.chunks("one", " two"), Reply.status(503), Reply.chunks("three", " four"));
        double before = spentBy("thrifty");

        assertThat(SseEvents.answer(poe.ask("thrifty", PoeClient.query("Hi")))).isEqualTo("one two");
        assertThat(spentBy("thrifty") - before).as("11 input and 2 output tokens of m-once").isEqualTo(15);
        assertThat(SseEvents.answer(poe.ask("thrifty", PoeClient.query("Hi")))).as("answered by the fallback")
                .isEqualTo("three four");
        assertThat(spentBy("thrifty") - before).as("and 1.1 and 0.2 of m-backup, each rounded up").isEqualTo(18);
        assertThat(registry.find("botfleet.budget.remaining").tags("bot", "thrifty", "budget",
                "usd_milli_cents_per_day").gauge().value()).isEqualTo(22);
    }

    private double spentBy(String bot) {
        var counter = registry.find("botfleet.budget.spend").tags("bot", bot).counter();
        return counter == null ? 0 : counter.count();
    }
}
