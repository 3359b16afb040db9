package dev.botfleet.runtime.budgets;

import dev.botfleet.api.BotBudgets;
import dev.botfleet.api.LLMBotSpec;
import dev.botfleet.api.Pricing;
import dev.botfleet.handler.BotContext;
import dev.botfleet.handler.BotHandler;
import dev.botfleet.handler.poe.PoeEvent;
import dev.botfleet.handler.poe.QueryRequest;
import dev.botfleet.runtime.BotMetrics;
import dev.botfleet.runtime.poe.UserError;
import dev.botfleet.runtime.usage.Meter;
import dev.botfleet.runtime.usage.Metering;
import reactor.core.publisher.Flux;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Holds each query to its bot's {@code spec.budgets}: once a budget it falls under is spent, the query is answered
 * at once with a Poe error saying when the budget resets, and the provider is never asked. An admitted answer counts
 * its input and the most output it may write at once, and what it used (every retry and fallback, as the models
 * reported it or as counted) when it ends.
 */
public final class BudgetedBotHandler implements BotHandler {

    /** An answer that failed before any model reported or delivered anything: no model is known to have used any. */
    private static final BudgetCounts.Spend NOTHING = new BudgetCounts.Spend(0, 0);

    private final BotHandler next;
    private final BudgetCounts counts;
    private final Metering metering;
    private final BotMetrics metrics;
    private final Clock clock;

    public BudgetedBotHandler(BotHandler next, BudgetCounts counts, Metering metering, BotMetrics metrics,
                              Clock clock) {
        this.next = next;
        this.counts = counts;
        this.metering = metering;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public Flux<PoeEvent> answer(BotContext context, QueryRequest request) {
        BotBudgets budgets = context.bot().getSpec().getBudgets();
        if (budgets == null) {
            return next.answer(context, request);
        }
        return metering.metered(context, request, meter -> answer(context, request, budgets, meter));
    }

    private Flux<PoeEvent> answer(BotContext context, QueryRequest request, BotBudgets budgets, Meter meter) {
        String bot = context.botName();
        LLMBotSpec spec = context.bot().getSpec();
        BudgetCounts.Spend estimate = spend(spec, meter.inputTokens(), meter.mostOutputTokens());
        BudgetCounts.Admission admission = counts.reserve(bot, request.userId(), budgets, estimate, clock.instant());
        if (admission instanceof BudgetCounts.Admission.Refused refused) {
            metrics.limited(bot, refused.budget().tag());
            return Flux.just(refusal(refused, request.languageCode()));
        }
        BudgetCounts.Reservation reservation = ((BudgetCounts.Admission.Admitted) admission).reservation();
        // Settled as the answer ends, before its done reaches the caller: the user's next query sees the correction.
        Runnable settle = () -> {
            BudgetCounts.Spend used = meter.usedAnything()
                    ? spend(spec, meter.usedInputTokens(), meter.usedOutputTokens()) : NOTHING;
            if (reservation.settle(used)) {
                metrics.budgetSpent(bot, used.tokens(), used.usdMilliCents());
                showRemaining(bot, budgets);
            }
        };
        return next.answer(context, request).doOnTerminate(settle).doOnCancel(settle);
    }

    private static BudgetCounts.Spend spend(LLMBotSpec spec, long inputTokens, long outputTokens) {
        Pricing pricing = spec.getPricing();
        return new BudgetCounts.Spend(inputTokens + outputTokens,
                pricing == null ? 0 : pricing.cost(inputTokens, outputTokens));
    }

    /** Updated as each answer is settled, rather than on admission too: a scrape sees what answers used. */
    private void showRemaining(String bot, BotBudgets budgets) {
        Instant now = clock.instant();
        for (Budget budget : Budget.values()) {
            Long limit = budget.limit(budgets);
            if (limit != null && !budget.perUser()) {
                metrics.budgetRemaining(bot, budget.tag(), counts.remaining(bot, budget, limit, now));
            }
        }
    }

    /** None allows a retry: an immediate one would be refused again. */
    private static PoeEvent.Error refusal(BudgetCounts.Admission.Refused refused, String language) {
        Duration wait = refused.untilReset();
        if (refused.budget() == Budget.TOKENS_PER_MINUTE) {
            return UserError.TOKENS_PER_MINUTE_SPENT.in(language, Math.max(1, (wait.toMillis() + 999) / 1000));
        }
        long minutes = Math.max(1, (wait.toSeconds() + 59) / 60);
        UserError error = refused.budget().perUser() ? UserError.USER_BUDGET_SPENT : UserError.BOT_BUDGET_SPENT;
        return error.in(language, minutes / 60, minutes % 60);
    }
}
