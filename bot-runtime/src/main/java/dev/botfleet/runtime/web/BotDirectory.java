package dev.botfleet.runtime.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.botfleet.api.LLMBotSpec;
import dev.botfleet.runtime.Models;
import dev.botfleet.runtime.config.Fleet;
import dev.botfleet.runtime.config.LiveFleet;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

import java.util.Comparator;

/** What may be asked of the bots without the Poe protocol: the probe of one, and the list of all. */
final class BotDirectory {

    private final LiveFleet live;
    private final ObjectMapper json;

    BotDirectory(LiveFleet live, ObjectMapper json) {
        this.live = live;
        this.json = json;
    }

    /** {@code GET /bots/{name}}, for a bot {@link RequestedBot#find} found: 200 without authentication. */
    Mono<ServerResponse> probe(ServerRequest request) {
        String name = RequestedBot.of(request).botName();
        return ServerResponse.ok().contentType(MediaType.TEXT_HTML)
                .bodyValue("<!doctype html><html><body><p>botfleet: Poe bot '" + escape(name)
                        + "' is served here.</p></body></html>");
    }

    /** {@code GET /bots}: name, provider, model and description of each bot; no prompts, no secrets. */
    Mono<ServerResponse> list(ServerRequest request) {
        Fleet fleet = live.current();
        ArrayNode bots = json.createArrayNode();
        fleet.bots().stream().sorted(Comparator.comparing(b -> b.getMetadata().getName())).forEach(bot -> {
            LLMBotSpec spec = bot.getSpec();
            bots.addObject()
                    .put("name", bot.getMetadata().getName())
                    .put("provider", spec.getProviderRef() == null ? null : spec.getProviderRef().getName())
                    .put("model", Models.effectiveModel(spec, fleet).orElse(null))
                    .put("description", spec.getDescription());
        });
        return ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(bots);
    }

    Mono<ServerResponse> methodNotAllowed(ServerRequest request) {
        return ServerResponse.status(HttpStatus.METHOD_NOT_ALLOWED).header(HttpHeaders.ALLOW, "GET, POST")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Refusals.detail("Method Not Allowed"));
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&#39;");
    }
}
