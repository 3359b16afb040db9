package dev.botfleet.runtime.llm;

import dev.botfleet.api.LLMProviderSpec.HttpVersion;
import io.netty.channel.ChannelOption;
import io.netty.handler.ssl.SslContextBuilder;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.util.unit.DataSize;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.netty.http.Http11SslContextSpec;
import reactor.netty.http.Http2SslContextSpec;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.client.Http2AllocationStrategy;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The runtime's HTTP client for every provider. It is non-blocking and shares the Poe endpoint's event loops, so an
 * open stream costs a few buffers and never a thread. Over HTTP/1.1 each open stream holds a connection and
 * cancelling it closes the connection; over HTTP/2 many streams share one connection and cancelling one resets only
 * that stream. Either way a Poe hang-up stops the provider generating tokens nobody reads.
 */
public final class UpstreamHttp implements AutoCloseable {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final ConnectionProvider pool;
    private final Map<HttpVersion, WebClient> clients = new EnumMap<>(HttpVersion.class);

    /**
     * @param maxConnections most connections open to one provider host at once; each HTTP/1.1 answer holds one
     * @param maxIdle        how long an idle connection is kept for reuse
     * @param maxEventSize   largest single server-sent event accepted from a provider
     */
    public UpstreamHttp(int maxConnections, Duration maxIdle, DataSize maxEventSize) {
        this(maxConnections, maxIdle, maxEventSize, defaults -> { });
    }

    /** As above; {@code tls} adjusts the TLS settings (tests trust their own certificate with it). */
    UpstreamHttp(int maxConnections, Duration maxIdle, DataSize maxEventSize, Consumer<SslContextBuilder> tls) {
        this.pool = ConnectionProvider.builder("botfleet-upstream")
                .pendingAcquireMaxCount(-1)
                .maxIdleTime(maxIdle)
                .evictInBackground(maxIdle)
                // The most recently used connection first: a quiet hour keeps one warm connection, not many.
                .lifo()
                // With a minimum of one, answers that arrive while a provider's first HTTP/2 connection is still
                // being set up wait for it instead of opening one connection each.
                .allocationStrategy(Http2AllocationStrategy.builder()
                        .maxConnections(maxConnections).minConnections(1).build())
                .build();
        HttpClient base = HttpClient.create(pool)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) CONNECT_TIMEOUT.toMillis())
                .option(ChannelOption.TCP_NODELAY, true);
        for (HttpVersion version : HttpVersion.values()) {
            // TLS settings apply to https:// URLs only; http:// stays cleartext.
            HttpClient http = base.protocol(protocols(version))
                    .secure(spec -> spec.sslContext(version == HttpVersion.HTTP1
                            ? Http11SslContextSpec.forClient().configure(tls)
                            : Http2SslContextSpec.forClient().configure(tls)));
            clients.put(version, WebClient.builder()
                    .clientConnector(new ReactorClientHttpConnector(http))
                    .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize((int) maxEventSize.toBytes()))
                    .build());
        }
    }

    private static HttpProtocol[] protocols(HttpVersion version) {
        return switch (version) {
            case AUTO -> new HttpProtocol[] {HttpProtocol.HTTP11, HttpProtocol.H2};
            case HTTP1 -> new HttpProtocol[] {HttpProtocol.HTTP11};
            case HTTP2 -> new HttpProtocol[] {HttpProtocol.H2, HttpProtocol.H2C};
        };
    }

    WebClient web(HttpVersion version) {
        return clients.get(version);
    }

    @Override
    public void close() {
        pool.dispose();
    }
}
