package dev.botfleet.runtime.web;

import dev.botfleet.runtime.poe.PoeRequest;
import dev.botfleet.runtime.poe.UserError;
import org.springframework.web.reactive.function.server.HandlerFilterFunction;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * While the runtime drains, a new query gets an error that allows a retry, on a connection that then closes: Poe's
 * client asks again, and the Service sends that to a replica still serving. Other requests are answered as usual.
 */
final class QueriesWhileDraining implements HandlerFilterFunction<ServerResponse, ServerResponse> {

    private final Drain drain;
    private final AnswerStream answers;

    QueriesWhileDraining(Drain drain, AnswerStream answers) {
        this.drain = drain;
        this.answers = answers;
    }

    @Override
    public Mono<ServerResponse> filter(ServerRequest request, HandlerFunction<ServerResponse> next) {
        if (drain.draining() && PoeRequestReader.of(request) instanceof PoeRequest.Query query) {
            return answers.respond(request, RequestedBot.of(request).bot(), query.query(),
                    Flux.just(UserError.SERVER_RESTARTING.in(query.query().languageCode())), true);
        }
        return next.handle(request);
    }
}
