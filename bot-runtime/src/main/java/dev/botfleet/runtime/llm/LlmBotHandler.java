package dev.botfleet.runtime.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.botfleet.api.LLMBotSpec;
import dev.botfleet.api.LLMProvider;
import dev.botfleet.api.LLMProviderSpec;
import dev.botfleet.api.ProviderTarget;
import dev.botfleet.handler.AnswerUsage;
import dev.botfleet.handler.BotContext;
import dev.botfleet.handler.BotHandler;
import dev.botfleet.handler.poe.PoeEvent;
import dev.botfleet.handler.poe.QueryRequest;
import dev.botfleet.runtime.AnswerOutcome;
import dev.botfleet.runtime.BotMetrics;
import dev.botfleet.runtime.FleetContext;
import dev.botfleet.runtime.OwnerLog;
import dev.botfleet.runtime.config.Fleet;
import dev.botfleet.runtime.config.LiveFleet;
import dev.botfleet.runtime.poe.AnswerCut;
import dev.botfleet.runtime.poe.UserError;
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
 * Answers a Poe query from the bot's LLMProvider, streaming each delta as a {@code text} event (and the model's tool
 * calls, when the caller offered tools, as {@code json} events, as Poe's bot API relays them). A failure before
 * the first token is retried with backoff (for failures that may pass) and then handed to each fallback in turn;
 * a failure after text has streamed ends the answer with an {@code error} event. The user is told what failed in
 * their terms and language ({@link UserError}); the owner's diagnosis, every attempt, goes to the {@link OwnerLog}.
 */
public final class LlmBotHandler implements BotHandler {

    private final LiveFleet live;
    private final SecretResolver secrets;
    private final UpstreamStreamer streamer;
    private final BotMetrics metrics;
    private final InputBudget budget;
    private final ImageInliner images;
    private final Backoff backoff;
    private final OwnerLog ownerLog;
    private final PoeBotStreamer poeBots;

    public LlmBotHandler(LiveFleet live, SecretResolver secrets, UpstreamStreamer streamer, PoeBotStreamer poeBots,
                         BotMetrics metrics, InputBudget budget, ImageInliner images, Backoff backoff,
                         OwnerLog ownerLog) {
        this.live = live;
        this.secrets = secrets;
        this.streamer = streamer;
        this.poeBots = poeBots;
        this.metrics = metrics;
        this.budget = budget;
        this.images = images;
        this.backoff = backoff;
        this.ownerLog = ownerLog;
    }

    @Override
    public Flux<PoeEvent> answer(BotContext context, QueryRequest request) {
        return Flux.deferContextual(view -> new Answer(context, request,
                view.<AnswerCut>getOrDefault(AnswerCut.class, null), AnswerUsage.in(view).orElse(null)).events());
    }

    /** The state of one answer: which attempt it is on and what has been sent. */
    private final class Answer {

        private final BotContext context;
        private final Fleet fleet;
        private final QueryRequest request;
        /** Where the writer says which of Poe's limits cut the answer, if one did; null outside the endpoint. */
        private final AnswerCut cut;
        /** Where a priced bot's answer reports the tokens it used; null for a bot without pricing. */
        private final AnswerUsage usage;
        private final List<ProviderTarget> targets;
        private final ChosenParameters chosen;
        private List<ChatMessage> history;
        /** How many of the oldest understood messages the input budget left out. */
        private int leftOut;
        private final long startNanos = System.nanoTime();
        private final List<UpstreamFailure> failures = new ArrayList<>();
        private volatile boolean streamed;
        private volatile AnswerOutcome outcome = AnswerOutcome.SUCCESS;
        private volatile String provider;

        Answer(BotContext context, QueryRequest request, AnswerCut cut, AnswerUsage usage) {
            this.context = context;
            this.fleet = FleetContext.fleetOf(context, live);
            this.request = request;
            this.cut = cut;
            this.usage = usage;
            // The CRD requires providerRef for the llm handler, so there is always a first target.
            this.targets = context.bot().getSpec().targets();
            this.provider = targets.get(0).providerName();
            this.chosen = ChosenParameters.of(context.bot().getSpec().getParameters(), request,
                    parameter -> metrics.parameterRefused(context.botName(), parameter));
        }

        Flux<PoeEvent> events() {
            LLMBotSpec bot = context.bot().getSpec();
            InputBudget.Fit fit = budget.fit(Conversation.of(bot, request), bot.getMaxInputTokens(),
                    this::primaryModel);
            if (fit instanceof InputBudget.Fit.TooLong tooLong) {
                outcome = AnswerOutcome.TOO_LONG;
                return Flux.<PoeEvent>just(tell(UserError.MESSAGE_TOO_LONG, tooLong.diagnosis()))
                        .doFinally(this::record);
            }
            InputBudget.Fit.Fitted fitted = (InputBudget.Fit.Fitted) fit;
            leftOut = fitted.leftOut();
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
                        ownerLog.told(context.botName(), request.messageId(), failure.userError(),
                                failure.getMessage());
                        return Flux.just(failure.toUser(request.languageCode()));
                    })
                    .doFinally(this::record);
        }

        /**
         * The model the conversation is fitted for: the primary's. A fallback to a model with another encoding
         * gets the same messages.
         */
        private String primaryModel() {
            return fleet.modelOf(target(0));
        }

        /** The target of attempt {@code index}: the primary with the model the user chose, if they chose one. */
        private ProviderTarget target(int index) {
            ProviderTarget target = targets.get(index);
            return index == 0 && chosen.model() != null ? new ProviderTarget(target.providerName(), chosen.model())
                    : target;
        }

        private Flux<PoeEvent> attempt(int index, int retry) {
            ProviderTarget target = target(index);
            provider = target.providerName();
            LLMProviderSpec spec;
            Attempt attempt;
            Flux<PoeEvent> events;
            try {
                spec = providerSpec(target);
                attempt = new Attempt(target.providerName(), spec.modelFor(target.model()));
                events = spec.effectiveProtocol() == LLMProviderSpec.Protocol.POE
                        ? poeBots.stream(target.providerName(), spec, poeCall(target, spec))
                        .filter(attempt::relayed)
                        : streamer.stream(target.providerName(), spec, call(target, spec))
                        .concatMap(chunk -> Flux.fromIterable(attempt.events(chunk)));
            } catch (UpstreamFailure configuration) {
                metrics.upstreamError(target.providerName(), configuration.reason());
                return moveOn(index, configuration);
            }
            return events
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
            return Flux.just(tell(empty.userError(), empty.getMessage()));
        }

        private Flux<PoeEvent> failed(int index, int retry, LLMProviderSpec spec, UpstreamFailure failure) {
            metrics.upstreamError(targets.get(index).providerName(), failure.reason());
            if (streamed) {
                outcome = AnswerOutcome.UPSTREAM_ERROR;
                return Flux.just(tell(UserError.ANSWER_CUT_SHORT, failure.getMessage() + " (after text had streamed)"));
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
            // The most hopeful failure decides what the user is told: if any may pass, a retry is worth it.
            UpstreamFailure told = failures.stream().filter(UpstreamFailure::retryable).findFirst()
                    .orElse(failures.get(0));
            String diagnosis = failures.size() == 1 ? failure.getMessage()
                    : "every provider failed: " + failures.stream().map(Throwable::getMessage)
                    .collect(Collectors.joining("; "));
            return Flux.just(tell(told.userError(), diagnosis));
        }

        /** The error the user reads, after the owner's diagnosis went to the log. */
        private PoeEvent.Error tell(UserError error, String diagnosis) {
            ownerLog.told(context.botName(), request.messageId(), error, diagnosis);
            return error.in(request.languageCode());
        }

        private LLMProviderSpec providerSpec(ProviderTarget target) {
            LLMProvider provider = fleet.provider(target.providerName()).orElseThrow(() ->
                    UpstreamFailure.configuration("LLMProvider '" + target.providerName() + "' does not exist"));
            return provider.getSpec();
        }

        /** The Poe bot's answer, asked for with this bot's own access key: the user's points pay for it. */
        private PoeBotStreamer.Call poeCall(ProviderTarget target, LLMProviderSpec provider) {
            LLMBotSpec bot = context.bot().getSpec();
            String poeBot = allowedModel(target, provider);
            if (bot.getAccessKeySecretRef() == null) {
                throw UpstreamFailure.configuration(LLMBotSpec.accessKeyRequired(target.providerName()));
            }
            String key = secrets.resolve(bot.getAccessKeySecretRef(), fleet).orElseThrow(() ->
                    UpstreamFailure.configuration("the access key this bot calls Poe bots with is not available: "
                            + secrets.whereToPut(bot.getAccessKeySecretRef())));
            return new PoeBotStreamer.Call(poeBot, PoeBotStreamer.relayed(request, bot.getSystemPrompt(), leftOut,
                    temperature(bot)), key);
        }

        /** The target's model, refused when the provider's allow-list does not have it. */
        private String allowedModel(ProviderTarget target, LLMProviderSpec provider) {
            String model = provider.modelFor(target.model());
            Optional<String> refusal = provider.modelRefusal(target.providerName(), model);
            if (refusal.isPresent()) {
                throw UpstreamFailure.configuration(refusal.get());
            }
            return model;
        }

        private UpstreamStreamer.Call call(ProviderTarget target, LLMProviderSpec provider) {
            LLMBotSpec bot = context.bot().getSpec();
            String model = allowedModel(target, provider);
            Optional<String> key = Optional.empty();
            if (provider.getApiKeySecretRef() != null) {
                key = secrets.resolve(provider.getApiKeySecretRef(), fleet);
                if (key.isEmpty()) {
                    throw UpstreamFailure.configuration("the API key of LLMProvider '" + target.providerName()
                            + "' is not available: " + secrets.whereToPut(provider.getApiKeySecretRef()));
                }
            }
            return new UpstreamStreamer.Call(model, history, temperature(bot),
                    chosen.maxTokens() != null ? chosen.maxTokens() : bot.getMaxTokens(), chosen.reasoningEffort(),
                    request.tools() == null ? List.of() : request.tools(), request.stopSequences(), key);
        }

        /** The user's choice in the parameter controls, else the caller's when the bot takes it, else the bot's. */
        private Double temperature(LLMBotSpec bot) {
            if (chosen.temperature() != null) {
                return chosen.temperature();
            }
            return Boolean.TRUE.equals(bot.getAllowRequestTemperature()) && request.temperature() != null
                    ? Double.valueOf(Math.min(request.temperature(), 2.0)) : bot.getTemperature();
        }

        private void record(SignalType signal) {
            // The framing cancels the answer right after its error event, so only a successful answer that is
            // cancelled was cut off: at one of Poe's limits, or by the caller.
            AnswerOutcome result = switch (signal) {
                case CANCEL -> outcome != AnswerOutcome.SUCCESS ? outcome
                        : cut != null && cut.limit() != null ? AnswerOutcome.at(cut.limit()) : AnswerOutcome.CANCELLED;
                case ON_ERROR -> AnswerOutcome.FAILED;
                default -> outcome;
            };
            metrics.answered(context.botName(), provider, result, Duration.ofNanos(System.nanoTime() - startNanos));
        }

        /** What one upstream stream has produced so far. */
        private final class Attempt {

            private final String providerName;
            private final String model;
            private volatile boolean finished;

            Attempt(String providerName, String model) {
                this.providerName = providerName;
                this.model = model;
            }

            List<PoeEvent> events(StreamChunk chunk) {
                if (chunk.usage() != null) {
                    metrics.tokens(context.botName(), provider, chunk.usage().promptTokens(),
                            chunk.usage().completionTokens());
                    if (usage != null) {
                        usage.report(providerName, model, chunk.usage().promptTokens(),
                                chunk.usage().completionTokens());
                    }
                }
                List<PoeEvent> events = new ArrayList<>(1);
                for (StreamChunk.Choice choice : chunk.choicesOrEmpty()) {
                    if (choice.index() != 0) {
                        continue;
                    }
                    String content = choice.content();
                    if (!content.isEmpty()) {
                        answered();
                        events.add(new PoeEvent.Text(content));
                    }
                    if (choice.toolCalls() != null) {
                        answered();
                        events.add(toolCalls(choice.toolCalls()));
                    }
                    if (choice.finishReason() != null) {
                        finished = true;
                    }
                }
                return events;
            }

            /** Whether a Poe bot's event goes on to the user; {@code done} ends the attempt instead. */
            boolean relayed(PoeEvent event) {
                if (event instanceof PoeEvent.Done) {
                    finished = true;
                    return false;
                }
                if (event instanceof PoeEvent.Text || event instanceof PoeEvent.ReplaceResponse
                        || event instanceof PoeEvent.Json || event instanceof PoeEvent.File) {
                    answered();
                }
                return true;
            }

            /** The first content of the answer, text or tool calls: from here on it has streamed. */
            private void answered() {
                if (!streamed) {
                    streamed = true;
                    metrics.firstToken(context.botName(), provider, Duration.ofNanos(System.nanoTime() - startNanos));
                }
            }

            /** The model's tool calls as Poe's bot API carries them: a chunk in a {@code json} event. */
            private PoeEvent toolCalls(JsonNode calls) {
                ObjectNode chunk = JsonNodeFactory.instance.objectNode().put("object", "chat.completion.chunk");
                ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
                choice.putObject("delta").set("tool_calls", calls);
                choice.putNull("finish_reason");
                return new PoeEvent.Json(chunk);
            }
        }
    }
}
