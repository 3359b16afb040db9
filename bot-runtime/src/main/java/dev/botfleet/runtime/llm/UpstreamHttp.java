package dev.botfleet.runtime.llm;

import io.netty.channel.ChannelOption;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.util.unit.DataSize;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import java.time.Duration;

/**
 * The runtime's one HTTP client for every provider. It is non-blocking and shares the Poe endpoint's event loops,
 * so an open stream costs a connection and a few buffers, never a thread. Cancelling a response before its end
 * closes the connection at once, which is how a Poe hang-up stops the provider generating tokens nobody reads.
 */
public final class UpstreamHttp implements AutoCloseable {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final ConnectionProvider pool;
    private final WebClient web;

    /**
     * @param maxConnections most connections open to one provider host at once; each streaming answer holds one
     * @param maxIdle        how long an idle connection is kept for reuse
     * @param maxEventSize   largest single server-sent event accepted from a provider
     */
    public UpstreamHttp(int maxConnections, Duration maxIdle, DataSize maxEventSize) {
        this.pool = ConnectionProvider.builder("botfleet-upstream")
                .maxConnections(maxConnections)
                .pendingAcquireMaxCount(-1)
                .maxIdleTime(maxIdle)
                .evictInBackground(maxIdle)
                // The most recently used connection first: a quiet hour keeps one warm connection, not many.
                .lifo()
                .build();
        HttpClient http = HttpClient.create(pool)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) CONNECT_TIMEOUT.toMillis())
                .option(ChannelOption.TCP_NODELAY, true);
        this.web = WebClient.builder()
                .clientConnector(new ReactorClientHttpConnector(http))
                .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize((int) maxEventSize.toBytes()))
                .build();
    }

    WebClient web() {
        return web;
    }

    @Override
    public void close() {
        pool.dispose();
    }
}
