package dev.botfleet.runtime;

import dev.botfleet.handler.poe.PoeEvent;
import dev.botfleet.handler.poe.QueryRequest;
import dev.botfleet.runtime.poe.UserError;
import dev.botfleet.testing.FakeOpenAiServer;
import dev.botfleet.testing.FakePoeApi;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real runtime on a random port, serving a fleet of test bots whose providers point at a fake
 * OpenAI-compatible server on loopback. Keys come from a mounted-Secret style directory.
 */
@AutoConfigureObservability
@SpringBootTest(classes = BotRuntimeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class RuntimeTestBase {

    protected static final String ECHO_ACCESS_KEY = "abcdefghijklmnopqrstuvwxyz012345";
    protected static final String UPSTREAM_KEY = "sk-test-upstream-key-0123456789";

    protected static final String RELAY_ACCESS_KEY = "relayAccessKey0123456789abcdefghij";

    protected static final FakeOpenAiServer UPSTREAM = new FakeOpenAiServer();
    /** Poe's bot API, where the providers of protocol poe send their queries and priced bots their costs. */
    protected static final FakePoeApi POE_BOTS = new FakePoeApi();
    protected static final Path WORK = createWorkDir();
    protected static final Path SECRETS = WORK.resolve("secrets");
    protected static final Path MANIFESTS = WORK.resolve("manifests.yaml");

    @LocalServerPort
    protected int port;

    @Autowired
    protected MeterRegistry registry;

    protected PoeClient poe;

    @DynamicPropertySource
    static void runtimeProperties(DynamicPropertyRegistry registry) {
        writeSecret("fake-key", "api-key", UPSTREAM_KEY);
        writeSecret("poe-echo", "access-key", ECHO_ACCESS_KEY);
        writeSecret("poe-relay", "access-key", RELAY_ACCESS_KEY);
        write(MANIFESTS, fleet(UPSTREAM.baseUrl()));
        registry.add("botfleet.manifests", MANIFESTS::toString);
        registry.add("botfleet.secrets-dir", SECRETS::toString);
        registry.add("botfleet.reload-interval", () -> "100ms");
        registry.add("botfleet.initial-backoff", () -> "20ms");
        registry.add("botfleet.max-backoff", () -> "100ms");
        registry.add("botfleet.keep-alive", () -> "300ms");
        registry.add("botfleet.poe-api-url", POE_BOTS::botApiUrl);
        registry.add("botfleet.poe-cost-timeout", () -> "1s");
        // The test's image server is on loopback.
        registry.add("botfleet.fetch-images-from-private-addresses", () -> "true");
    }

    @BeforeEach
    void connect() {
        poe = new PoeClient(port);
        UPSTREAM.reset();
        POE_BOTS.reset();
    }

    protected static String bearer(String key) {
        return "Bearer " + key;
    }

    protected static String fleet(String upstream) {
        return """
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMProvider
                metadata: {name: fake}
                spec:
                  baseUrl: %1$s
                  apiKeySecretRef: {name: fake-key, key: api-key}
                  defaultModel: m-primary
                  timeout: 1s
                  maxRetries: 2
                ---
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMProvider
                metadata: {name: fake-backup}
                spec:
                  baseUrl: %1$s
                  defaultModel: m-backup
                  timeout: 1s
                  maxRetries: 0
                  prices: {m-backup: {perMillionInputTokens: 100000, perMillionOutputTokens: 100000}}
                ---
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMProvider
                metadata: {name: fake-once}
                spec:
                  baseUrl: %1$s
                  defaultModel: m-once
                  timeout: 500ms
                  maxRetries: 0
                  prices: {m-once: {perMillionInputTokens: 1000000, perMillionOutputTokens: 2000000}}
                ---
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMProvider
                metadata: {name: keyless}
                spec:
                  baseUrl: %1$s
                  apiKeySecretRef: {name: not-there, key: api-key}
                  defaultModel: m-keyless
                ---
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {name: echo}
                spec:
                  providerRef: {name: fake}
                  systemPrompt: Be brief.
                  accessKeySecretRef: {name: poe-echo, key: access-key}
                  poe:
                    introductionMessage: Hi from echo.
                    allowAttachments: true
                    serverBotDependencies: {GPT-4o: 1}
                ---
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {name: open}
                spec:
                  providerRef: {name: fake}
                  model: m-open
                  description: No access key, takes the caller's temperature.
                  systemPrompt: Secret sauce prompt.
                  temperature: 0.5
                  maxTokens: 64
                  allowRequestTemperature: true
                ---
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {name: resilient}
                spec:
                  providerRef: {name: fake}
                  fallbacks:
                    - providerRef: {name: fake-backup}
                ---
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {name: once}
                spec:
                  providerRef: {name: fake-once}
                ---
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {name: echo-bot}
                spec: {handler: echo}
                ---
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {name: careful}
                spec:
                  handler: redact-and-sign
                  providerRef: {name: fake}
                  systemPrompt: Be careful.
                  handlerSettings: {signature: "-- the support team"}
                ---
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {name: mystery}
                spec: {handler: not-packaged}
                ---
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {name: orphan}
                spec:
                  providerRef: {name: nope}
                ---
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {name: unkeyed}
                spec:
                  providerRef: {name: keyless}
                ---
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {name: limited}
                spec:
                  providerRef: {name: fake}
                  limits: {requestsPerMinutePerUser: 3, concurrentAnswersPerUser: 1, concurrentAnswers: 2}
                ---
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {name: budgeted}
                spec:
                  providerRef: {name: fake}
                  model: gpt-4o-mini
                  systemPrompt: Keep it short.
                  maxInputTokens: 100
                ---
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {name: tunable}
                spec:
                  providerRef: {name: fake}
                  model: m-default
                  temperature: 0.7
                  maxTokens: 256
                  poe:
                    parameterControls:
                      sections:
                        - controls:
                            - {control: drop_down, label: Model, parameterName: model, defaultValue: m-default,
                               options: [{value: m-default, name: Default}, {value: m-large, name: Large}]}
                            - {control: slider, label: Creativity, parameterName: creativity, minValue: 0,
                               maxValue: 1.5, step: 0.1}
                            - {control: slider, label: Length, parameterName: length, minValue: 64, maxValue: 4096,
                               step: 64}
                            - {control: drop_down, label: Effort, parameterName: effort,
                               options: [{value: low, name: Low}, {value: high, name: High}]}
                  parameters:
                    model: {parameterName: model, models: [m-default, m-large]}
                    temperature: {parameterName: creativity, min: 0, max: 1.5}
                    maxTokens: {parameterName: length, min: 64, max: 4096}
                    reasoningEffort: {parameterName: effort, values: [low, high]}
                ---
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {name: vision-url}
                spec:
                  providerRef: {name: fake}
                  images: {delivery: url}
                ---
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {name: vision-inline}
                spec:
                  providerRef: {name: fake}
                  images: {delivery: inline, maxBytes: 2048, fetchTimeout: 1s}
                ---
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMProvider
                metadata: {name: poe-bots}
                spec:
                  protocol: poe
                  baseUrl: %2$s
                  defaultModel: Claude-Sonnet-4
                  models: [Claude-Sonnet-4, GPT-4o]
                  timeout: 1s
                  maxRetries: 1
                ---
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {name: relay}
                spec:
                  providerRef: {name: poe-bots}
                  systemPrompt: Answer as a pirate.
                  temperature: 0.3
                  accessKeySecretRef: {name: poe-relay, key: access-key}
                  fallbacks:
                    - providerRef: {name: fake-backup}
                ---
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {name: relay-fallback}
                spec:
                  providerRef: {name: fake-once}
                  accessKeySecretRef: {name: poe-relay, key: access-key}
                  fallbacks:
                    - {providerRef: {name: poe-bots}, model: GPT-4o}
                ---
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {name: relay-keyless}
                spec:
                  providerRef: {name: poe-bots}
                ---
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {name: priced}
                spec:
                  providerRef: {name: fake}
                  accessKeySecretRef: {name: poe-relay, key: access-key}
                  maxTokens: 100
                  pricing: {perMessage: 500, perMillionInputTokens: 300000, perMillionOutputTokens: 1500000}
                ---
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {name: spending}
                spec:
                  providerRef: {name: fake}
                  accessKeySecretRef: {name: poe-relay, key: access-key}
                  maxTokens: 5
                  pricing: {perMessage: 100}
                  budgets: {tokensPerDayPerUser: 20, usdMilliCentsPerDay: 300}
                ---
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {name: thrifty}
                spec:
                  providerRef: {name: fake-once}
                  fallbacks:
                    - providerRef: {name: fake-backup}
                  maxTokens: 5
                  budgets: {usdMilliCentsPerDay: 40}
                """.formatted(upstream, POE_BOTS.botApiUrl());
    }

    protected static void writeSecret(String name, String key, String value) {
        write(SECRETS.resolve(name).resolve(key), value + "\n");
    }

    protected static void write(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Path temporary = Files.createTempFile(file.getParent(), ".tmp", "");
            Files.writeString(temporary, content);
            Files.move(temporary, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path createWorkDir() {
        try {
            return Files.createTempDirectory("botfleet-runtime-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The owner's log line of the last failed answer of {@code bot}: what the Poe user was not told. */
    protected static String ownerLog(CapturedOutput output, String bot) {
        return output.getAll().lines()
                .filter(line -> line.contains("bot '" + bot + "' message") && line.contains("the user was told"))
                .reduce((first, second) -> second)
                .orElseThrow(() -> new AssertionError("no owner log line for bot " + bot + " in:\n" + output));
    }

    /** Asserts that {@code event} is the error {@code expected} tells an English-speaking user. */
    protected static void assertTold(SseEvents.Event event, UserError expected, Object... arguments) {
        PoeEvent.Error told = expected.in(QueryRequest.DEFAULT_LANGUAGE, arguments);
        assertThat(event.name()).isEqualTo("error");
        assertThat(event.text()).isEqualTo(told.text());
        assertThat(event.data().path("allow_retry").asBoolean()).as("allow_retry").isEqualTo(told.allowRetry());
        assertThat(event.data().path("error_type").isMissingNode() ? null : event.data().path("error_type").asText())
                .as("error_type").isEqualTo(told.errorType());
    }

    /** How many upstream attempts of this provider failed for this reason so far. */
    protected double upstreamErrors(String provider, String reason) {
        return count(registry.find("botfleet.upstream.errors").tags("provider", provider, "reason", reason).counter());
    }

    /** How many answers of this bot ended with this outcome so far. */
    protected double answered(String bot, AnswerOutcome outcome) {
        return count(registry.find("botfleet.queries").tags("bot", bot, "outcome", outcome.tag()).counter());
    }

    private static double count(Counter counter) {
        return counter == null ? 0 : counter.count();
    }
}
