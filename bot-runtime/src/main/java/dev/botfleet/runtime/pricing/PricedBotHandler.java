package dev.botfleet.runtime.pricing;

import dev.botfleet.api.Pricing;
import dev.botfleet.handler.BotContext;
import dev.botfleet.handler.BotHandler;
import dev.botfleet.handler.poe.PoeEvent;
import dev.botfleet.handler.poe.QueryRequest;
import dev.botfleet.runtime.BotMetrics;
import dev.botfleet.runtime.FleetContext;
import dev.botfleet.runtime.OwnerLog;
import dev.botfleet.runtime.config.Fleet;
import dev.botfleet.runtime.config.LiveFleet;
import dev.botfleet.runtime.poe.UserError;
import dev.botfleet.runtime.secrets.SecretResolver;
import dev.botfleet.runtime.usage.Meter;
import dev.botfleet.runtime.usage.Metering;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Charges the Poe user for the answers of a bot with {@code spec.pricing}, through Poe's cost API: before the
 * provider is asked, the most the answer can cost is authorized (its input counted as for maxInputTokens, its output
 * at the most tokens the bot lets the model write); once it has been delivered, what it used is captured, from the
 * usage the models reported or, where none did, from the tokens counted. A refused authorization is answered with
 * Poe's {@code insufficient_fund} error and the provider is never asked; a failed capture is logged, counted and
 * tried again, and the answer stands.
 */
public final class PricedBotHandler implements BotHandler {

    private static final Logger log = LoggerFactory.getLogger(PricedBotHandler.class);
    /** Waits before the second and third try of a failed capture. */
    static final List<Duration> CAPTURE_RETRIES = List.of(Duration.ofSeconds(1), Duration.ofSeconds(5));

    private final BotHandler next;
    private final LiveFleet live;
    private final SecretResolver secrets;
    private final PoeCostApi costs;
    private final Metering metering;
    private final BotMetrics metrics;
    private final OwnerLog ownerLog;
    private final List<Duration> captureRetries;

    public PricedBotHandler(BotHandler next, LiveFleet live, SecretResolver secrets, PoeCostApi costs,
                            Metering metering, BotMetrics metrics, OwnerLog ownerLog) {
        this(next, live, secrets, costs, metering, metrics, ownerLog, CAPTURE_RETRIES);
    }

    PricedBotHandler(BotHandler next, LiveFleet live, SecretResolver secrets, PoeCostApi costs, Metering metering,
                     BotMetrics metrics, OwnerLog ownerLog, List<Duration> captureRetries) {
        this.next = next;
        this.live = live;
        this.secrets = secrets;
        this.costs = costs;
        this.metering = metering;
        this.metrics = metrics;
        this.ownerLog = ownerLog;
        this.captureRetries = captureRetries;
    }

    @Override
    public Flux<PoeEvent> answer(BotContext context, QueryRequest request) {
        Pricing pricing = context.bot().getSpec().getPricing();
        if (pricing == null) {
            return next.answer(context, request);
        }
        return metering.metered(context, request, meter -> new Charge(context, request, pricing, meter).answer());
    }

    /** What one answer is charged. */
    private final class Charge {

        private final BotContext context;
        private final QueryRequest request;
        private final Pricing pricing;
        private final Fleet fleet;
        private final Meter meter;
        private final AtomicBoolean captured = new AtomicBoolean();
        private long authorizedTotal;
        private List<Pricing.Item> authorized;
        private String accessKey;

        Charge(BotContext context, QueryRequest request, Pricing pricing, Meter meter) {
            this.context = context;
            this.request = request;
            this.pricing = pricing;
            this.meter = meter;
            this.fleet = FleetContext.fleetOf(context, live);
        }

        Flux<PoeEvent> answer() {
            String bot = context.botName();
            if (request.botQueryId() == null || request.botQueryId().isBlank()) {
                metrics.costRequest(bot, "authorize", "no_bot_query_id");
                log.info("bot '{}' message {}: answered without a charge: the query has no bot_query_id, so it "
                        + "did not come through Poe", bot, request.messageId());
                return next.answer(context, request);
            }
            Optional<String> key = secrets.resolve(context.bot().getSpec().getAccessKeySecretRef(), fleet);
            if (key.isEmpty()) {
                return Flux.just(tell(UserError.BOT_UNAVAILABLE, "the bot is priced, and its access key, which "
                        + "Poe's cost API takes, is not available: "
                        + secrets.whereToPut(context.bot().getSpec().getAccessKeySecretRef())));
            }
            accessKey = key.get();
            authorized = pricing.items(meter.inputTokens(), meter.mostOutputTokens());
            authorizedTotal = authorized.stream().mapToLong(Pricing.Item::usdMilliCents).sum();
            if (authorizedTotal == 0) {
                return next.answer(context, request);
            }
            return costs.authorize(request.botQueryId(), accessKey, authorized).flatMapMany(this::afterAuthorizing);
        }

        private Flux<PoeEvent> afterAuthorizing(PoeCostApi.Outcome outcome) {
            String bot = context.botName();
            if (outcome instanceof PoeCostApi.Outcome.Refused refused) {
                metrics.costRequest(bot, "authorize", "refused");
                return Flux.just(tell(UserError.INSUFFICIENT_FUNDS, "Poe did not authorize " + authorizedTotal
                        + " usd_milli_cents for this answer (" + refused.status() + ")"));
            }
            if (outcome instanceof PoeCostApi.Outcome.Failed failed) {
                metrics.costRequest(bot, "authorize", "failed");
                return Flux.just(tell(UserError.COST_UNAVAILABLE, "could not authorize " + authorizedTotal
                        + " usd_milli_cents with Poe's cost API: " + failed.reason()));
            }
            metrics.costRequest(bot, "authorize", "approved");
            return next.answer(context, request)
                    .concatWith(Mono.defer(this::capture).then(Mono.empty()))
                    .doFinally(signal -> {
                        if (signal != SignalType.ON_COMPLETE) {
                            // Cut at a limit, hung up on, or failed: what was delivered is still charged.
                            capture().subscribe();
                        }
                    });
        }

        /** Captures the cost of what was used, once; nothing for an answer that delivered nothing. */
        private Mono<Void> capture() {
            if (!meter.delivered() || !captured.compareAndSet(false, true)) {
                return Mono.empty();
            }
            List<Pricing.Item> used = pricing.items(meter.usedInputTokens(), meter.usedOutputTokens());
            long total = used.stream().mapToLong(Pricing.Item::usdMilliCents).sum();
            if (total > authorizedTotal) {
                log.warn("bot '{}' message {}: the answer used {} usd_milli_cents, more than the {} authorized; the "
                        + "authorized amount is captured", context.botName(), request.messageId(), total,
                        authorizedTotal);
                used = authorized;
                total = authorizedTotal;
            }
            return captureTry(used, total, 0);
        }

        private Mono<Void> captureTry(List<Pricing.Item> amounts, long total, int retry) {
            String bot = context.botName();
            return costs.capture(request.botQueryId(), accessKey, amounts).flatMap(outcome -> {
                if (outcome instanceof PoeCostApi.Outcome.Approved) {
                    metrics.costRequest(bot, "capture", "approved");
                    metrics.charged(bot, total);
                    return Mono.empty();
                }
                String why = outcome instanceof PoeCostApi.Outcome.Refused refused
                        ? "Poe refused it (" + refused.status() + ")" : ((PoeCostApi.Outcome.Failed) outcome).reason();
                boolean again = outcome instanceof PoeCostApi.Outcome.Failed && retry < captureRetries.size();
                metrics.costRequest(bot, "capture", outcome instanceof PoeCostApi.Outcome.Refused ? "refused"
                        : "failed");
                log.warn("bot '{}' message {}: capturing {} usd_milli_cents failed: {}; {}", bot,
                        request.messageId(), total, why, again ? "trying again in "
                                + captureRetries.get(retry).toMillis() + " ms" : "the answer stays uncharged");
                if (again) {
                    Mono.delay(captureRetries.get(retry)).then(captureTry(amounts, total, retry + 1)).subscribe();
                }
                return Mono.empty();
            });
        }

        private PoeEvent.Error tell(UserError error, String diagnosis) {
            ownerLog.told(context.botName(), request.messageId(), error, diagnosis);
            return error.in(request.languageCode());
        }
    }
}
