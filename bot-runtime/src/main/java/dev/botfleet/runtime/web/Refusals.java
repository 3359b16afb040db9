package dev.botfleet.runtime.web;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.botfleet.handler.poe.PoeRequestException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.HandlerFilterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * A refused request as Poe's client and a person read it: its status and {@code {"detail": reason}}. The filters
 * before the dispatch refuse by throwing {@link PoeRequestException}; the outermost filter answers for them.
 */
final class Refusals {

    private Refusals() {
    }

    /** Answers a {@link PoeRequestException} raised anywhere after it, thrown or signalled. */
    static HandlerFilterFunction<ServerResponse, ServerResponse> answered() {
        return (request, next) -> Mono.defer(() -> next.handle(request))
                .onErrorResume(PoeRequestException.class, Refusals::response);
    }

    static Mono<ServerResponse> response(PoeRequestException e) {
        ServerResponse.BodyBuilder response = ServerResponse.status(e.status()).contentType(MediaType.APPLICATION_JSON);
        if (e.status() == 401) {
            response.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        }
        if (e.status() == 503) {
            // The rest of the body is not read: the connection cannot carry another request.
            response.header(HttpHeaders.RETRY_AFTER, "1").header(HttpHeaders.CONNECTION, "close");
        }
        return response.bodyValue(detail(e.getMessage()));
    }

    static ObjectNode detail(String message) {
        return JsonNodeFactory.instance.objectNode().put("detail", message);
    }
}
