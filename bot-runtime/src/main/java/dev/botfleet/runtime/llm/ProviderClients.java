package dev.botfleet.runtime.llm;

import com.openai.client.OpenAIClientAsync;
import com.openai.client.okhttp.OpenAIOkHttpClientAsync;
import com.openai.core.Timeout;
import dev.botfleet.api.LLMProviderSpec;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One openai-java client per provider, reused by every request to it. A client is rebuilt only when the provider's
 * connection settings change; the one it replaces is closed once requests still using it have had time to end.
 * API keys are not part of a client: each request carries the current key, so a rotated key needs no rebuild.
 */
public final class ProviderClients implements AutoCloseable {

    private static final Duration LONGEST_CONNECT = Duration.ofSeconds(10);
    private static final Duration LONGEST_ANSWER = Duration.ofMinutes(30);

    private final Map<String, Entry> clients = new ConcurrentHashMap<>();
    private final CancellableCalls calls = new CancellableCalls();
    private final ScheduledExecutorService closer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "provider-client-closer");
        thread.setDaemon(true);
        return thread;
    });

    public OpenAIClientAsync client(String providerName, LLMProviderSpec spec) {
        Settings wanted = Settings.of(spec);
        Entry entry = clients.compute(providerName, (name, current) -> {
            if (current != null && current.settings.equals(wanted)) {
                return current;
            }
            if (current != null) {
                retire(current, current.settings.timeout);
            }
            return new Entry(wanted, build(wanted, calls));
        });
        return entry.client;
    }

    CancellableCalls calls() {
        return calls;
    }

    private static OpenAIClientAsync build(Settings settings, CancellableCalls calls) {
        Duration connect = settings.timeout.compareTo(LONGEST_CONNECT) < 0 ? settings.timeout : LONGEST_CONNECT;
        OpenAIOkHttpClientAsync.Builder builder = OpenAIOkHttpClientAsync.builder()
                .baseUrl(settings.baseUrl)
                .credential(PerRequestCredentials.placeholder())
                .addInterceptor(PerRequestCredentials.dropPlaceholder())
                .addInterceptor(calls.interceptor())
                .maxRetries(0)
                .timeout(Timeout.builder()
                        .connect(connect)
                        .read(settings.timeout)
                        .write(settings.timeout)
                        .request(LONGEST_ANSWER)
                        .build());
        if (settings.organization != null) {
            builder.organization(settings.organization);
        }
        settings.headers.forEach(builder::putHeader);
        settings.queryParams.forEach(builder::putQueryParam);
        return builder.build();
    }

    private void retire(Entry entry, Duration grace) {
        closer.schedule(entry.client::close, grace.toMillis() + 1000, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        closer.shutdownNow();
        clients.values().forEach(entry -> entry.client.close());
        clients.clear();
    }

    private record Entry(Settings settings, OpenAIClientAsync client) {
    }

    /** Everything about a provider that a client is built from. */
    private record Settings(String baseUrl, String organization, Map<String, String> headers,
                            Map<String, String> queryParams, Duration timeout) {

        static Settings of(LLMProviderSpec spec) {
            return new Settings(spec.getBaseUrl(), spec.getOrganization(),
                    Map.copyOf(Objects.requireNonNullElse(spec.getHeaders(), Map.of())),
                    Map.copyOf(Objects.requireNonNullElse(spec.getQueryParams(), Map.of())),
                    spec.effectiveTimeout());
        }
    }
}
