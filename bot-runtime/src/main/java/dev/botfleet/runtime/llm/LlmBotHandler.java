package dev.botfleet.runtime.llm;

import dev.botfleet.api.LLMBotSpec;
import dev.botfleet.api.LLMProvider;
import dev.botfleet.api.LLMProviderSpec;
import dev.botfleet.api.ProviderTarget;
import dev.botfleet.handler.BotContext;
import dev.botfleet.handler.BotHandler;
import dev.botfleet.handler.poe.PoeEvent;
import dev.botfleet.handler.poe.QueryRequest;
import dev.botfleet.runtime.AnswerOutcome;
import dev.botfleet.runtime.BotMetrics;
import dev.botfleet.runtime.FleetContext;
import dev.botfleet.runtime.config.Fleet;
import dev.botfleet.runtime.config.LiveFleet;
import dev.botfleet.runtime.secrets.SecretResolver;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Answers a Poe query from the bot's LLMProvider, streaming each delta as a {@code text} event. A failure before
 * the first token is retried with backoff (for failures that may pass) and then handed to each fallback in turn;
 * a failure after text has streamed ends the answer with an {@code error} event.
 */
public final class LlmBotHandler implements BotHandler {

    private final LiveFleet live;
    private final SecretResolver secrets;
    private final UpstreamStreamer streamer;
    private final BotMetrics metrics;
    private final InputBudget budget;
    private final ImageInliner images;
    private final Backoff backoff;

    public LlmBotHandler(LiveFleet live, SecretResolver secrets, UpstreamStreamer streamer, BotMetrics metrics,
                         InputBudget budget, ImageInliner images, Backoff backoff) {
        this.live = live;
        this.secrets = secrets;
        this.streamer = streamer;
        this.metrics = metrics;
        this.budget = budget;
        this.images = images;
        this.backoff = backoff;
    }

    @Override
    public Flux<PoeEvent> answer(BotContext context, QueryRequest request) {
        return Flux.defer(() -> new Answer(context, request).events());
    }

    /** The state of one answer: which attempt it is on and what has been sent. */
    private final class Answer {

        private final BotContext context;
        private final Fleet fleet;
        private final QueryRequest request;
        private final List<ProviderTarget> targets;
        private List<ChatMessage> history;
        private final long startNanos = System.nanoTime();
        private final List<UpstreamFailure> failures = new ArrayList<>();
        private volatile boolean streamed;
        private volatile AnswerOutcome outcome = AnswerOutcome.SUCCESS;
        private volatile String provider;

        Answer(BotContext context, QueryRequest request) {
            this.context = context;
            this.fleet = FleetContext.fleetOf(context, live);
            this.request = request;
            // The CRD requires providerRef for the llm handler, so there is always a first target.
            this.targets = context.bot().getSpec().targets();
            this.provider = targets.get(0).providerName();
        }

        Flux<PoeEvent> events() {
            LLMBotSpec bot = context.bot().getSpec();
            InputBudget.Fit fit = budget.fit(Conversation.of(bot, request), bot.getMaxInputTokens(),
                    this::primaryModel);
            if (fit instanceof InputBudget.Fit.TooLong tooLong) {
                outcome = AnswerOutcome.TOO_LONG;
                return Flux.<PoeEvent>just(PoeEvent.Error.notRetryable(tooLong.message())).doFinally(this::record);
            }
            InputBudget.Fit.Fitted fitted = (InputBudget.Fit.Fitted) fit;
            if (fitted.leftOut() > 0) {
                metrics.trimmed(context.botName(), fitted.leftOut());
            }
            return images.inline(fitted.conversation().messages(), bot.getImages())
                    .flatMapMany(messages -> {
                        history = messages;
                        return attempt(0, 0).concatWith(Flux.defer(() -> streamed || outcome != AnswerOutcome.SUCCESS
                                ? Flux.empty() : emptyAnswer()));
                    })
                    .onErrorResume(ImageInliner.Failure.class, failure -> {
                        outcome = AnswerOutcome.IMAGE_NOT_FETCHED;
                        return Flux.just(new PoeEvent.Error(failure.retryable(), failure.getMessage(), null));
                    })
                    .doFinally(this::record);
        }

        /**
         * The model the conversation is fitted for: the primary's. A fallback to a model with another encoding
         * gets the same messages.
         */
        private String primaryModel() {
            ProviderTarget primary = targets.get(0);
            return fleet.provider(primary.providerName()).map(p -> p.getSpec().modelFor(primary.model()))
                    .orElse(primary.model());
        }

        private Flux<PoeEvent> attempt(int index, int retry) {
            ProviderTarget target = targets.get(index);
            provider = target.providerName();
            LLMProviderSpec spec;
            UpstreamStreamer.Call call;
            try {
                spec = providerSpec(target);
                call = call(target, spec);
            } catch (UpstreamFailure configuration) {
                metrics.upstreamError(target.providerName(), configuration.reason());
                return moveOn(index, configuration);
            }
            Attempt attempt = new Attempt();
            return streamer.stream(target.providerName(), spec, call)
                    .concatMap(chunk -> Flux.fromIterable(attempt.events(chunk)))
                    .concatWith(Mono.defer(() -> attempt.finished ? Mono.empty()
                            : Mono.error(new UpstreamFailure(UpstreamFailure.Kind.TRUNCATED,
                            target + ": the stream ended before the answer was complete", true))))
                    .onErrorResume(error -> failed(index, retry, spec, UpstreamFailure.of(error, target)));
        }

        /**
         * A provider that finished without a word: Poe's client treats an answer without text as broken, so the
         * caller is told, and may try again, rather than shown nothing as a success.
         */
        private Flux<PoeEvent> emptyAnswer() {
            outcome = AnswerOutcome.UPSTREAM_ERROR;
            UpstreamFailure empty = new UpstreamFailure(UpstreamFailure.Kind.EMPTY,
                    provider + ": the provider returned an empty answer", true);
            metrics.upstreamError(provider, empty.reason());
            return Flux.just(PoeEvent.Error.retryable(empty.getMessage()));
        }

        private Flux<PoeEvent> failed(int index, int retry, LLMProviderSpec spec, UpstreamFailure failure) {
            metrics.upstreamError(targets.get(index).providerName(), failure.reason());
            if (streamed) {
                outcome = AnswerOutcome.UPSTREAM_ERROR;
                return Flux.just(new PoeEvent.Error(failure.retryable(),
                        failure.getMessage() + " (the answer was cut short)", null));
            }
            if (failure.retryable() && retry < spec.effectiveMaxRetries()) {
                Duration wait = backoff.before(retry, failure.retryAfter());
                if (wait.compareTo(spec.effectiveTimeout()) <= 0) {
                    metrics.retry(targets.get(index).providerName());
                    return Mono.delay(wait).thenMany(Flux.defer(() -> attempt(index, retry + 1)));
                }
            }
            return moveOn(index, failure);
        }

        private Flux<PoeEvent> moveOn(int index, UpstreamFailure failure) {
            failures.add(failure);
            if (index + 1 < targets.size()) {
                metrics.fallback(context.botName(), targets.get(index + 1).providerName());
                return attempt(index + 1, 0);
            }
            outcome = AnswerOutcome.UPSTREAM_ERROR;
            boolean mayPass = failures.stream().anyMatch(UpstreamFailure::retryable);
            String text = failures.size() == 1 ? failure.getMessage()
                    : "every provider failed: " + failures.stream().map(Throwable::getMessage)
                    .collect(Collectors.joining("; "));
            return Flux.just(new PoeEvent.Error(mayPass, text, null));
        }

        private LLMProviderSpec providerSpec(ProviderTarget target) {
            LLMProvider provider = fleet.provider(target.providerName()).orElseThrow(() ->
                    UpstreamFailure.configuration("LLMProvider '" + target.providerName() + "' does not exist"));
            return provider.getSpec();
        }

        private UpstreamStreamer.Call call(ProviderTarget target, LLMProviderSpec provider) {
            LLMBotSpec bot = context.bot().getSpec();
            String model = provider.modelFor(target.model());
            Optional<String> refusal = provider.modelRefusal(target.providerName(), model);
            if (refusal.isPresent()) {
                throw UpstreamFailure.configuration(refusal.get());
            }
            Optional<String> key = Optional.empty();
            if (provider.getApiKeySecretRef() != null) {
                key = secrets.resolve(provider.getApiKeySecretRef(), fleet);
                if (key.isEmpty()) {
                    throw UpstreamFailure.configuration("the API key of LLMProvider '" + target.providerName()
                            + "' is not available: " + secrets.whereToPut(provider.getApiKeySecretRef()));
                }
            }
            Double temperature = Boolean.TRUE.equals(bot.getAllowRequestTemperature()) && request.temperature() != null
                    ? Double.valueOf(Math.min(request.temperature(), 2.0)) : bot.getTemperature();
            return new UpstreamStreamer.Call(model, history, temperature, bot.getMaxTokens(),
                    request.stopSequences(), key);
        }

        private void record(SignalType signal) {
            // The framing cancels the answer right after its error event, so only a successful answer that is
            // cancelled was cut off by the caller.
            AnswerOutcome result = switch (signal) {
                case CANCEL -> outcome == AnswerOutcome.SUCCESS ? AnswerOutcome.CANCELLED : outcome;
                case ON_ERROR -> AnswerOutcome.FAILED;
                default -> outcome;
            };
            metrics.answered(context.botName(), provider, result, Duration.ofNanos(System.nanoTime() - startNanos));
        }

        /** What one upstream stream has produced so far. */
        private final class Attempt {

            private volatile boolean finished;

            List<PoeEvent> events(StreamChunk chunk) {
                if (chunk.usage() != null) {
                    metrics.tokens(context.botName(), provider, chunk.usage().promptTokens(),
                            chunk.usage().completionTokens());
                }
                List<PoeEvent> events = new ArrayList<>(1);
                for (StreamChunk.Choice choice : chunk.choicesOrEmpty()) {
                    if (choice.index() != 0) {
                        continue;
                    }
                    String content = choice.content();
                    if (!content.isEmpty()) {
                        if (!streamed) {
                            streamed = true;
                            metrics.firstToken(context.botName(), provider,
                                    Duration.ofNanos(System.nanoTime() - startNanos));
                        }
                        events.add(new PoeEvent.Text(content));
                    }
                    if (choice.finishReason() != null) {
                        finished = true;
                    }
                }
                return events;
            }
        }
    }
}
