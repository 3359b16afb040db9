package dev.botfleet.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.botfleet.api.validation.ManifestValidator;
import dev.botfleet.runtime.config.LiveFleet;
import dev.botfleet.runtime.config.ManifestLoader;
import dev.botfleet.runtime.config.ManifestWatcher;
import dev.botfleet.runtime.config.ManifestsHealthIndicator;
import dev.botfleet.runtime.llm.LlmBotHandler;
import dev.botfleet.runtime.llm.UpstreamHttp;
import dev.botfleet.runtime.llm.UpstreamStreamer;
import dev.botfleet.runtime.poe.PoeEventCodec;
import dev.botfleet.runtime.poe.PoeRequests;
import dev.botfleet.runtime.poe.PoeStream;
import dev.botfleet.runtime.secrets.SecretResolver;
import dev.botfleet.runtime.web.AccessKeyCheck;
import dev.botfleet.runtime.web.PoeEndpoint;
import dev.botfleet.runtime.web.Routes;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

import java.nio.file.Path;

/** Wires the runtime together from {@link RuntimeProperties}. */
@Configuration(proxyBeanMethods = false)
public class RuntimeConfiguration {

    @Bean
    LiveFleet liveFleet() {
        return new LiveFleet();
    }

    @Bean(destroyMethod = "close")
    ManifestWatcher manifestWatcher(RuntimeProperties properties, LiveFleet live, MeterRegistry registry) {
        if (properties.manifests() == null || properties.manifests().isBlank()) {
            throw new IllegalStateException("no manifests given: start the runtime with --manifests=PATH, a YAML "
                    + "file or a directory of LLMProvider and LLMBot documents");
        }
        ManifestWatcher watcher = new ManifestWatcher(Path.of(properties.manifests()),
                new ManifestLoader(ManifestValidator.forBotfleetCrds()), live, registry);
        watcher.start(properties.reloadInterval());
        return watcher;
    }

    @Bean
    ManifestsHealthIndicator manifestsHealthIndicator(LiveFleet live, RuntimeProperties properties) {
        return new ManifestsHealthIndicator(live, properties.manifests());
    }

    @Bean
    SecretResolver secretResolver(RuntimeProperties properties) {
        Path secretsDir = properties.secretsDir() == null || properties.secretsDir().isBlank()
                ? null : Path.of(properties.secretsDir());
        return new SecretResolver(secretsDir, System::getenv);
    }

    @Bean(destroyMethod = "close")
    UpstreamHttp upstreamHttp(RuntimeProperties properties) {
        return new UpstreamHttp(properties.upstreamMaxConnections(), properties.upstreamMaxIdle(),
                properties.upstreamMaxEventSize());
    }

    @Bean
    BotHandler botHandler(SecretResolver secrets, UpstreamHttp upstream, MeterRegistry registry,
                          RuntimeProperties properties, ObjectMapper json) {
        LlmBotHandler llm = new LlmBotHandler(secrets, new UpstreamStreamer(upstream), new BotMetrics(registry),
                properties.initialBackoff(), properties.maxBackoff());
        return new BotInfoHandler(new BotHandlers(llm), json);
    }

    @Bean
    PoeEndpoint poeEndpoint(LiveFleet live, SecretResolver secrets, BotHandler handler, ObjectMapper json,
                            RuntimeProperties properties) {
        return new PoeEndpoint(live, new AccessKeyCheck(secrets), new PoeRequests(json), handler,
                new PoeStream(new PoeEventCodec(json), properties.keepAlive()), json,
                (int) properties.maxRequestSize().toBytes());
    }

    @Bean
    RouterFunction<ServerResponse> poeRoutes(PoeEndpoint endpoint) {
        return Routes.of(endpoint);
    }
}
