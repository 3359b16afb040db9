package dev.botfleet.runtime.budgets;

import dev.botfleet.api.BotBudgets;
import dev.botfleet.handler.BotContext;
import dev.botfleet.handler.BotHandler;
import dev.botfleet.handler.poe.PoeEvent;
import dev.botfleet.handler.poe.QueryRequest;
import dev.botfleet.runtime.BotMetrics;
import dev.botfleet.runtime.limits.LimitedBotHandler;
import dev.botfleet.runtime.poe.UserError;
import dev.botfleet.runtime.usage.Meter;
import dev.botfleet.runtime.usage.Metering;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * Holds each query to its bot's {@code spec.budgets}: once a budget it falls under is spent, the query is answered
 * at once with a Poe error saying when the budget resets, and the provider is never asked. An admitted answer counts
 * its input and the most output it may write at once, and what it used (every retry and fallback, as the models
 * reported it or as counted) when it ends.
 */
public final class BudgetedBotHandler implements BotHandler {

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
        BudgetCounts.Spend estimate = new BudgetCounts.Spend(meter.inputTokens() + meter.mostOutputTokens(),
                meter.mostCost());
        return counts.reserve(bot, request.userId(), budgets, estimate, clock.instant()).flatMapMany(admission -> {
            if (admission instanceof BudgetCounts.Admission.Admitted admitted) {
                return settledAtTheEnd(next.answer(context, request), admitted.reservation(), bot, budgets, meter);
            }
            if (admission instanceof BudgetCounts.Admission.Refused refused) {
                metrics.limited(bot, refused.budget().tag());
                return Flux.just(refusal(refused, request.languageCode()));
            }
            metrics.limited(bot, LimitedBotHandler.UNAVAILABLE_TAG);
            return Flux.just(UserError.LIMITS_UNAVAILABLE.in(request.languageCode()));
        });
    }

    /**
     * Settles the reservation as the answer ends, before its done reaches the caller (done follows the answer), so
     * that the user's next query sees the correction; an answer whose caller left is settled in the background.
     */
    private Flux<PoeEvent> settledAtTheEnd(Flux<PoeEvent> answer, BudgetCounts.Reservation reservation, String bot,
                                           BotBudgets budgets, Meter meter) {
        Mono<Void> settle = Mono.defer(() -> {
            BudgetCounts.Spend used = meter.usedAnything() ? new BudgetCounts.Spend(
                    meter.usedInputTokens() + meter.usedOutputTokens(), meter.usedCost()) : BudgetCounts.Spend.NOTHING;
            return reservation.settle(used).doOnNext(botCounts -> {
                metrics.budgetSpent(bot, used.tokens(), used.usdMilliCents());
                showRemaining(bot, budgets, botCounts);
            }).then();
        });
        return answer.concatWith(settle.then(Mono.empty()))
                .onErrorResume(failure -> settle.then(Mono.error(failure)))
                .doOnCancel(() -> settle.subscribe());
    }

    /** Updated as each answer is settled, rather than on admission too: a scrape sees what answers used. */
    private void showRemaining(String bot, BotBudgets budgets, Map<Budget, Long> botCounts) {
        botCounts.forEach((budget, count) ->
                metrics.budgetRemaining(bot, budget.tag(), Math.max(0, budget.limit(budgets) - count)));
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
