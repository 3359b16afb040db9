package dev.botfleet.runtime.web;

import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/** The runtime's HTTP routes. */
public final class Routes {

    private Routes() {
    }

    public static RouterFunction<ServerResponse> of(PoeEndpoint endpoint) {
        return RouterFunctions.route()
                .GET("/bots", endpoint::list)
                .POST("/bots/{name}", endpoint::post)
                .GET("/bots/{name}", endpoint::probe)
                .route(RequestPredicates.path("/bots/{name}"), endpoint::methodNotAllowed)
                .build();
    }
}
