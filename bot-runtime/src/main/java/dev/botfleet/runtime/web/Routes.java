package dev.botfleet.runtime.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.botfleet.handler.BotHandler;
import dev.botfleet.runtime.BotMetrics;
import dev.botfleet.runtime.config.LiveFleet;
import dev.botfleet.runtime.poe.PoeRequests;
import dev.botfleet.runtime.poe.PoeStream;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The runtime's HTTP routes. A Poe request passes, in order: refusals answered, the bot found, its access key
 * checked, the body read within its limits, new queries refused while draining; then one dispatch answers it.
 */
public final class Routes {

    /** What the routes are made of; each part does one job. */
    public record Parts(LiveFleet live, AccessKeyCheck accessKeys, PoeRequests requests, int maxBodyBytes,
                        BodyBudget bodyBudget, Drain drain, PoeStream stream, BotHandler handler, BotMetrics metrics,
                        ObjectMapper json) {
    }

    private Routes() {
    }

    /** The Poe endpoints, and the bot listing when {@code listBots}. */
    public static RouterFunction<ServerResponse> of(Parts parts, boolean listBots) {
        AnswerStream answers = new AnswerStream(parts.stream());
        PoeDispatch dispatch = new PoeDispatch(parts.handler(), answers, parts.drain(), parts.metrics(), parts.json());
        BotDirectory directory = new BotDirectory(parts.live(), parts.json());
        RouterFunction<ServerResponse> poe = RouterFunctions.route()
                .POST("/bots/{name}", dispatch::handle)
                .filter(Refusals.answered())
                .filter(RequestedBot.find(parts.live()))
                .filter(parts.accessKeys())
                .filter(new PoeRequestReader(parts.requests(), parts.maxBodyBytes(), parts.bodyBudget()))
                .filter(new QueriesWhileDraining(parts.drain(), answers))
                .build();
        RouterFunction<ServerResponse> probe = RouterFunctions.route()
                .GET("/bots/{name}", directory::probe)
                .filter(Refusals.answered())
                .filter(RequestedBot.find(parts.live()))
                .build();
        RouterFunction<ServerResponse> routes = poe.and(probe)
                .and(RouterFunctions.route(RequestPredicates.path("/bots/{name}"), directory::methodNotAllowed));
        return listBots ? RouterFunctions.route().GET("/bots", directory::list).build().and(routes) : routes;
    }
}
