package dev.botfleet.runtime.web;

import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/** The runtime's HTTP routes. */
public final class Routes {

    private Routes() {
    }

    /** The Poe endpoints, and the bot listing when {@code listBots}. */
    public static RouterFunction<ServerResponse> of(PoeEndpoint endpoint, boolean listBots) {
        RouterFunctions.Builder routes = RouterFunctions.route();
        if (listBots) {
            routes.GET("/bots", endpoint::list);
        }
        return routes
                .POST("/bots/{name}", endpoint::post)
                .GET("/bots/{name}", endpoint::probe)
                .route(RequestPredicates.path("/bots/{name}"), endpoint::methodNotAllowed)
                .build();
    }
}
