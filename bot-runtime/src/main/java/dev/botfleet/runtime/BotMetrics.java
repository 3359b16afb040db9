package dev.botfleet.runtime;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** The runtime's metrics, tagged by bot and provider (both bounded by the configuration). */
public final class BotMetrics {

    private final MeterRegistry registry;
    private final Map<List<String>, AtomicLong> budgetsRemaining = new ConcurrentHashMap<>();

    public BotMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void answered(String bot, String provider, AnswerOutcome outcome, Duration duration) {
        Counter.builder("botfleet.queries").description("Poe queries answered, by outcome")
                .tags("bot", bot, "provider", provider, "outcome", outcome.tag()).register(registry).increment();
        Timer.builder("botfleet.stream.duration").description("Time from query to the end of the answer")
                .tags("bot", bot, "outcome", outcome.tag()).register(registry).record(duration);
    }

    public void firstToken(String bot, String provider, Duration elapsed) {
        Timer.builder("botfleet.time.to.first.token").description("Time from query to the first text from upstream")
                .tags("bot", bot, "provider", provider).publishPercentileHistogram().register(registry)
                .record(elapsed);
    }

    public void upstreamError(String provider, String reason) {
        Counter.builder("botfleet.upstream.errors").description("Failed upstream attempts, by reason")
                .tags("provider", provider, "reason", reason).register(registry).increment();
    }

    /** An answer whose conversation left out its {@code turns} oldest turns to fit the bot's input budget. */
    public void trimmed(String bot, int turns) {
        Counter.builder("botfleet.conversations.trimmed").description("Answers whose oldest turns were left out")
                .tags("bot", bot).register(registry).increment();
        Counter.builder("botfleet.turns.trimmed").description("Turns left out to fit a bot's input budget")
                .tags("bot", bot).register(registry).increment(turns);
    }

    public void limited(String bot, String limit) {
        Counter.builder("botfleet.queries.limited").description("Queries refused by the bot's limits, by limit")
                .tags("bot", bot, "limit", limit).register(registry).increment();
    }

    public void retry(String provider) {
        Counter.builder("botfleet.upstream.retries").description("Upstream requests retried")
                .tags("provider", provider).register(registry).increment();
    }

    public void fallback(String bot, String provider) {
        Counter.builder("botfleet.fallbacks").description("Answers moved on to a fallback provider")
                .tags("bot", bot, "provider", provider).register(registry).increment();
    }

    public void tokens(String bot, String provider, long prompt, long completion) {
        Counter.builder("botfleet.tokens").description("Tokens reported by providers")
                .tags("bot", bot, "provider", provider, "type", "prompt").register(registry).increment(prompt);
        Counter.builder("botfleet.tokens").description("Tokens reported by providers")
                .tags("bot", bot, "provider", provider, "type", "completion").register(registry).increment(completion);
    }

    /** Poe told the bot (report_error) that an answer of it broke the protocol. */
    public void poeReportedError(String bot) {
        Counter.builder("botfleet.poe.error.reports").description("report_error requests from Poe")
                .tags("bot", bot).register(registry).increment();
    }

    /** A message chose a value for one of the bot's parameters that spec.parameters does not allow. */
    public void parameterRefused(String bot, String parameter) {
        Counter.builder("botfleet.parameters.refused")
                .description("Values chosen in parameter controls that were ignored: wrong type or out of bounds")
                .tags("bot", bot, "parameter", parameter).register(registry).increment();
    }

    /** One request to Poe's cost API (authorize or capture) and how it ended. */
    public void costRequest(String bot, String request, String outcome) {
        Counter.builder("botfleet.poe.cost.requests").description("Requests to Poe's cost API, by request and outcome")
                .tags("bot", bot, "request", request, "outcome", outcome).register(registry).increment();
    }

    /** What Poe charged a priced bot's users, in usd_milli_cents. */
    public void charged(String bot, long usdMilliCents) {
        Counter.builder("botfleet.poe.charged").baseUnit("usd_milli_cents")
                .description("Amounts captured through Poe's cost API").tags("bot", bot).register(registry)
                .increment(usdMilliCents);
    }

    /** What an answer of a bot with budgets used, as counted against them: tokens, and usd_milli_cents at its prices. */
    public void budgetSpent(String bot, long tokens, long usdMilliCents) {
        Counter.builder("botfleet.budget.tokens").description("Tokens counted against bots' budgets")
                .tags("bot", bot).register(registry).increment(tokens);
        Counter.builder("botfleet.budget.spend").baseUnit("usd_milli_cents")
                .description("What answers cost at the bots' prices, counted against their budgets")
                .tags("bot", bot).register(registry).increment(usdMilliCents);
    }

    /**
     * What remains of a bot's own budget (tokens or usd_milli_cents) in the current day or minute: the group's when it
     * shares its counts in Redis, else this replica's.
     */
    public void budgetRemaining(String bot, String budget, long remaining) {
        budgetsRemaining.computeIfAbsent(List.of(bot, budget), key -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder("botfleet.budget.remaining", value, AtomicLong::get)
                    .description("What remains of a bot's budget in the current day or minute, as last counted")
                    .tags("bot", bot, "budget", budget).register(registry);
            return value;
        }).set(remaining);
    }
}
