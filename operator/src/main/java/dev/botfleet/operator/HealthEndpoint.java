package dev.botfleet.operator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.javaoperatorsdk.operator.RuntimeInfo;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

/**
 * Liveness and readiness for the operator's pod: {@code /healthz} answers 200 once the operator has started,
 * {@code /readyz} while every informer is healthy (connected and synced).
 */
public final class HealthEndpoint implements AutoCloseable {

    private final HttpServer server;

    public HealthEndpoint(int port, RuntimeInfo runtime) throws IOException {
        server = HttpServer.create(new InetSocketAddress(port), 0);
        server.createContext("/healthz", exchange -> answer(exchange, runtime::isStarted));
        server.createContext("/readyz", exchange -> answer(exchange,
                () -> runtime.isStarted() && runtime.allEventSourcesAreHealthy()));
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void answer(HttpExchange exchange, BooleanSupplier healthy) throws IOException {
        boolean ok = healthy.getAsBoolean();
        byte[] body = (ok ? "ok" : "unhealthy").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "text/plain");
        exchange.sendResponseHeaders(ok ? 200 : 503, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
