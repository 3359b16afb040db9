package dev.botfleet.runtime.web;

import dev.botfleet.api.LLMBot;
import dev.botfleet.handler.poe.PoeRequestException;
import dev.botfleet.runtime.FleetContext;
import dev.botfleet.runtime.config.Fleet;
import dev.botfleet.runtime.config.LiveFleet;
import org.springframework.web.reactive.function.server.HandlerFilterFunction;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The bot a request's path names, with the configuration it was found in, kept for the rest of the request: a
 * reload meanwhile does not change the bot an answer started with.
 */
final class RequestedBot {

    private static final String ATTRIBUTE = RequestedBot.class.getName();

    private RequestedBot() {
    }

    /** Finds the bot of {@code /bots/{name}} among those served now; 404 when there is none. */
    static HandlerFilterFunction<ServerResponse, ServerResponse> find(LiveFleet live) {
        return (request, next) -> {
            Fleet fleet = live.current();
            String name = request.pathVariable("name");
            LLMBot bot = fleet.bot(name).orElseThrow(() -> new PoeRequestException(404, "Unknown bot '" + name + "'"));
            request.attributes().put(ATTRIBUTE, new FleetContext(bot, fleet));
            return next.handle(request);
        };
    }

    /** The bot {@link #find} found for this request. */
    static FleetContext of(ServerRequest request) {
        return (FleetContext) request.attribute(ATTRIBUTE)
                .orElseThrow(() -> new IllegalStateException("no bot found for " + request.path()));
    }
}
