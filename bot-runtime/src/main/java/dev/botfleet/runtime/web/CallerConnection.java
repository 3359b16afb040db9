package dev.botfleet.runtime.web;

import org.springframework.http.server.reactive.AbstractServerHttpRequest;
import org.springframework.web.reactive.function.server.ServerRequest;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.Connection;

/**
 * What an answer needs of the caller's connection that WebFlux does not offer: a signal when the caller hangs up,
 * and timers on the connection's own event loop, so that keep-alives and paced text are written without a hop to
 * another thread. The one place that looks beneath WebFlux at Reactor Netty.
 */
final class CallerConnection {

    private final Connection connection;

    private CallerConnection(Connection connection) {
        this.connection = connection;
    }

    static CallerConnection of(ServerRequest request) {
        Object nativeRequest = ((AbstractServerHttpRequest) request.exchange().getRequest()).getNativeRequest();
        return new CallerConnection(nativeRequest instanceof Connection netty ? netty : null);
    }

    /**
     * Signals once the caller's connection is gone. Writing to a connection the caller reset does not always fail
     * (the first frames fit in the socket's buffer), so the answer, and with it the provider's stream, is cancelled
     * on this signal instead.
     */
    Mono<Boolean> hangUp() {
        return connection == null ? Mono.never() : connection.onDispose().then(Mono.just(Boolean.TRUE));
    }

    Scheduler timers() {
        return connection == null ? Schedulers.parallel()
                : Schedulers.fromExecutorService(connection.channel().eventLoop(), "caller-connection");
    }
}
