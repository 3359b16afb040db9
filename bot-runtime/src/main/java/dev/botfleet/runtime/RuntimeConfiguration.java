package dev.botfleet.runtime;

import com.fasterxml.jackson.databind.Module;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.botfleet.api.validation.ManifestValidator;
import dev.botfleet.handler.BotHandler;
import dev.botfleet.handler.poe.PoeEventCodec;
import dev.botfleet.runtime.budgets.BudgetCounts;
import dev.botfleet.runtime.budgets.LocalBudgetCounts;
import dev.botfleet.runtime.budgets.BudgetedBotHandler;
import dev.botfleet.runtime.config.LiveFleet;
import dev.botfleet.runtime.config.ManifestLoader;
import dev.botfleet.runtime.config.ManifestWatcher;
import dev.botfleet.runtime.config.ManifestsHealthIndicator;
import dev.botfleet.runtime.limits.LimitedBotHandler;
import dev.botfleet.runtime.pricing.PoeCostApi;
import dev.botfleet.runtime.pricing.PricedBotHandler;
import dev.botfleet.runtime.limits.LocalQueryLimiter;
import dev.botfleet.runtime.limits.QueryLimiter;
import dev.botfleet.runtime.redis.RedisBudgetCounts;
import dev.botfleet.runtime.redis.RedisQueryLimiter;
import dev.botfleet.runtime.redis.RedisStore;
import dev.botfleet.runtime.llm.Backoff;
import dev.botfleet.runtime.llm.ImageInliner;
import dev.botfleet.runtime.llm.InputBudget;
import dev.botfleet.runtime.llm.LlmBotHandler;
import dev.botfleet.runtime.llm.PoeBotStreamer;
import dev.botfleet.runtime.llm.TokenCounter;
import dev.botfleet.runtime.llm.UpstreamHttp;
import dev.botfleet.runtime.llm.UpstreamStreamer;
import dev.botfleet.runtime.poe.PoeFrames;
import dev.botfleet.runtime.poe.PoeRequests;
import dev.botfleet.runtime.poe.PoeStream;
import dev.botfleet.runtime.secrets.SecretRedactor;
import dev.botfleet.runtime.secrets.SecretResolver;
import dev.botfleet.runtime.usage.Metering;
import dev.botfleet.runtime.web.AccessKeyCheck;
import dev.botfleet.runtime.web.BodyBudget;
import dev.botfleet.runtime.web.ConnectionGuard;
import dev.botfleet.runtime.web.Drain;
import dev.botfleet.runtime.web.DroppedErrors;
import dev.botfleet.runtime.web.Routes;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.jackson.Jackson2ObjectMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.support.DefaultLifecycleProcessor;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;

/** Wires the runtime together from {@link RuntimeProperties}. */
@Configuration(proxyBeanMethods = false)
public class RuntimeConfiguration {

    /**
     * openai-java brings Kotlin, and Spring would install jackson-module-kotlin in every mapper it builds: the first
     * JSON written (the readiness probe's) would load about a thousand Kotlin classes, and every type would be
     * inspected through Kotlin reflection. botfleet has no Kotlin types, so its mappers get the Java modules only.
     */
    @Bean
    Jackson2ObjectMapperBuilderCustomizer javaModulesOnly(List<Module> moduleBeans) {
        return builder -> {
            List<Module> modules = new ArrayList<>(moduleBeans);
            modules.add(new Jdk8Module());
            modules.add(new JavaTimeModule());
            builder.modules(modules);
        };
    }

    @Bean
    LiveFleet liveFleet() {
        return new LiveFleet();
    }

    @Bean(destroyMethod = "close")
    ManifestWatcher manifestWatcher(RuntimeProperties properties, LiveFleet live, MeterRegistry registry,
                                    SecretResolver secrets) {
        if (properties.manifests() == null || properties.manifests().isBlank()) {
            throw new IllegalStateException("no manifests given: start the runtime with --manifests=PATH, a YAML "
                    + "file or a directory of LLMProvider and LLMBot documents");
        }
        ManifestWatcher watcher = new ManifestWatcher(Path.of(properties.manifests()),
                () -> new ManifestLoader(properties.validateManifests()
                        ? ManifestValidator.forBotfleetCrds()::validate : admitted -> List.of(),
                        Optional.ofNullable(properties.namespace()).filter(n -> !n.isBlank())), live, registry);
        watcher.alsoOnEachLook(secrets::refresh);
        watcher.start(properties.reloadInterval());
        return watcher;
    }

    /** The rest of the runtime is wired while the manifests load; the server starts once they have been. */
    @Bean
    SmartInitializingSingleton manifestsLoadedBeforeServing(ManifestWatcher watcher) {
        return () -> {
            try {
                watcher.awaitFirstLoad();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while loading the manifests", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("cannot load the manifests", e.getCause());
            }
        };
    }

    @Bean
    ManifestsHealthIndicator manifestsHealthIndicator(LiveFleet live, RuntimeProperties properties) {
        return new ManifestsHealthIndicator(live, properties.manifests());
    }

    @Bean
    SecretRedactor secretRedactor() {
        return new SecretRedactor();
    }

    @Bean
    SecretResolver secretResolver(RuntimeProperties properties, SecretRedactor redactor) {
        Path secretsDir = properties.secretsDir() == null || properties.secretsDir().isBlank()
                ? null : Path.of(properties.secretsDir());
        return new SecretResolver(secretsDir, System::getenv, redactor);
    }

    @Bean(destroyMethod = "close")
    UpstreamHttp upstreamHttp(RuntimeProperties properties) {
        return new UpstreamHttp(properties.upstreamMaxConnections(), properties.upstreamMaxIdle(),
                properties.upstreamMaxEventSize());
    }

    @Bean
    BotMetrics botMetrics(MeterRegistry registry) {
        return new BotMetrics(registry);
    }

    /** How long a starting runtime waits for its group's Redis before it serves, counting per the policy. */
    private static final Duration REDIS_PATIENCE = Duration.ofSeconds(5);
    /** Images are fetched one at a time per answer; this many answers may fetch at once, the rest wait in turn. */
    private static final int IMAGE_CONNECTIONS = 256;

    /** The group's Redis, when it has one: then the limits and budgets count for all its replicas. */
    @Bean(destroyMethod = "close")
    @ConditionalOnProperty("botfleet.redis.url")
    RedisStore redisStore(RuntimeProperties properties, MeterRegistry registry) {
        return new RedisStore(properties.redis(), registry).connected(REDIS_PATIENCE);
    }

    @Bean
    QueryLimiter queryLimiter(RuntimeProperties properties, ObjectProvider<RedisStore> redis) {
        RedisStore store = redis.getIfAvailable();
        return store == null ? new LocalQueryLimiter(properties.maxTrackedUsers())
                : new RedisQueryLimiter(store, properties.redis().keyPrefix(),
                        properties.poe().maxDuration().plusMinutes(1));
    }

    @Bean
    BudgetCounts budgetCounts(RuntimeProperties properties, ObjectProvider<RedisStore> redis) {
        RedisStore store = redis.getIfAvailable();
        return store == null ? new LocalBudgetCounts(properties.maxTrackedUsers())
                : new RedisBudgetCounts(store, properties.redis().keyPrefix());
    }

    /** Connections for images fetched for {@code images.delivery: inline}, apart from the providers' and Poe's. */
    @Bean(destroyMethod = "dispose")
    ConnectionProvider imageConnections() {
        return ConnectionProvider.builder("images").maxConnections(IMAGE_CONNECTIONS)
                .maxIdleTime(Duration.ofSeconds(30)).build();
    }

    @Bean
    BotHandler botHandler(LiveFleet live, SecretResolver secrets, SecretRedactor redactor, UpstreamHttp upstream,
                          BotMetrics metrics, RuntimeProperties properties, ObjectMapper json, QueryLimiter limiter,
                          BudgetCounts budgetCounts, ConnectionProvider imageConnections) {
        OwnerLog ownerLog = new OwnerLog(redactor);
        TokenCounter tokens = new TokenCounter();
        LlmBotHandler llm = new LlmBotHandler(live, secrets, new UpstreamStreamer(upstream),
                new PoeBotStreamer(upstream, json), metrics,
                new InputBudget(tokens), new ImageInliner(HttpClient.create(imageConnections),
                        properties.fetchImagesFromPrivateAddresses()),
                new Backoff(properties.initialBackoff(), properties.maxBackoff()), ownerLog);
        Metering metering = new Metering(live, tokens);
        PricedBotHandler priced = new PricedBotHandler(new BotHandlers(llm, ownerLog), live, secrets,
                new PoeCostApi(properties.poeApiUrl(), properties.poeCostTimeout(), json), metering, metrics,
                ownerLog);
        BudgetedBotHandler budgeted = new BudgetedBotHandler(priced, budgetCounts, metering, metrics,
                Clock.systemUTC());
        return new BotInfoHandler(new LimitedBotHandler(budgeted, limiter, metrics), live, json);
    }

    @Bean
    Drain drain(RuntimeProperties properties, MeterRegistry registry) {
        return new Drain(properties.drainTimeout(), Schedulers.parallel(), registry);
    }

    /**
     * Spring's lifecycle processor, waiting for each shutdown phase as long as the drain may take: one timeout, the
     * drain's, decides how long a stopping runtime lets answers finish.
     */
    @Bean
    DefaultLifecycleProcessor lifecycleProcessor(Drain drain) {
        DefaultLifecycleProcessor processor = new DefaultLifecycleProcessor();
        processor.setTimeoutPerShutdownPhase(drain.shutdownPhaseTimeout().toMillis());
        return processor;
    }

    /** Installed with the server: resets by callers after their request ended are not logged as errors. */
    @Bean
    SmartInitializingSingleton droppedErrors() {
        return DroppedErrors::install;
    }

    @Bean
    ConnectionGuard connectionGuard(RuntimeProperties properties, MeterRegistry registry) {
        return new ConnectionGuard(properties.maxConnections(), properties.headerTimeout(), properties.bodyTimeout(),
                registry);
    }

    @Bean
    RouterFunction<ServerResponse> poeRoutes(LiveFleet live, SecretResolver secrets, SecretRedactor redactor,
                                             BotHandler handler, ObjectMapper json, RuntimeProperties properties,
                                             MeterRegistry registry, Drain drain, BotMetrics metrics) {
        PoeStream stream = new PoeStream(redactor, new PoeFrames(new PoeEventCodec(json), properties.poe(),
                properties.keepAlive()));
        return Routes.of(new Routes.Parts(live, new AccessKeyCheck(secrets), new PoeRequests(json),
                (int) properties.maxRequestSize().toBytes(),
                new BodyBudget(properties.maxInflightBodyBytes().toBytes(), registry), drain, stream, handler,
                metrics, json), properties.listBots());
    }
}
