package dev.botfleet.runtime.web;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.web.embedded.netty.NettyServerCustomizer;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Limits what clients can hold on the Poe port: at most {@code maxConnections} open connections (more are closed
 * on arrival, so the process keeps file descriptors for its providers and its manifests), and the read deadlines
 * of {@link RequestDeadlines} on each.
 */
public final class ConnectionGuard implements NettyServerCustomizer {

    private final int maxConnections;
    private final Duration headerTimeout;
    private final Duration bodyTimeout;
    private final AtomicInteger open = new AtomicInteger();

    public ConnectionGuard(int maxConnections, Duration headerTimeout, Duration bodyTimeout, MeterRegistry registry) {
        this.maxConnections = maxConnections;
        this.headerTimeout = headerTimeout;
        this.bodyTimeout = bodyTimeout;
        Gauge.builder("botfleet.connections", open, AtomicInteger::get)
                .description("Open client connections").register(registry);
    }

    @Override
    public HttpServer apply(HttpServer server) {
        return server.doOnChannelInit((observer, channel, remote) -> {
            if (open.incrementAndGet() > maxConnections) {
                open.decrementAndGet();
                channel.close();
                return;
            }
            channel.closeFuture().addListener(closed -> open.decrementAndGet());
            if (channel.pipeline().get(NettyPipeline.HttpCodec) != null) {
                channel.pipeline().addAfter(NettyPipeline.HttpCodec, "botfleet.requestDeadlines",
                        new RequestDeadlines(headerTimeout, bodyTimeout));
            }
        });
    }
}
