package dev.botfleet.runtime;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;

/** The runtime's metrics, tagged by bot and provider (both bounded by the configuration). */
public final class BotMetrics {

    private final MeterRegistry registry;

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
}
