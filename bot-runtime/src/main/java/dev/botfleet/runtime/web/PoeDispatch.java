package dev.botfleet.runtime.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.botfleet.handler.BotHandler;
import dev.botfleet.runtime.BotMetrics;
import dev.botfleet.runtime.FleetContext;
import dev.botfleet.runtime.poe.PoeRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * Answers a Poe request that the filters before it let through ({@code POST /bots/{name}}: bot found, key checked,
 * body read, not refused for draining): a query with the bot's answer, settings with the bot's settings, reports
 * acknowledged.
 */
final class PoeDispatch {

    private static final Logger log = LoggerFactory.getLogger(PoeDispatch.class);

    private final BotHandler handler;
    private final AnswerStream answers;
    private final Drain drain;
    private final BotMetrics metrics;
    private final ObjectMapper json;

    PoeDispatch(BotHandler handler, AnswerStream answers, Drain drain, BotMetrics metrics, ObjectMapper json) {
        this.handler = handler;
        this.answers = answers;
        this.drain = drain;
        this.metrics = metrics;
        this.json = json;
    }

    Mono<ServerResponse> handle(ServerRequest request) {
        FleetContext context = RequestedBot.of(request);
        PoeRequest poeRequest = PoeRequestReader.of(request);
        if (poeRequest instanceof PoeRequest.Query query) {
            String language = query.query().languageCode();
            return answers.respond(request, context.bot(), query.query(),
                    drain.track(handler.answer(context, query.query()), language), false);
        }
        if (poeRequest instanceof PoeRequest.Settings) {
            return ServerResponse.ok().contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(context.fleet().poeSettings(context.bot()));
        }
        if (poeRequest instanceof PoeRequest.Unsupported) {
            return ServerResponse.status(HttpStatus.NOT_IMPLEMENTED).contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Refusals.detail("Unsupported request type"));
        }
        if (poeRequest instanceof PoeRequest.ReportError) {
            metrics.poeReportedError(context.botName());
            log.warn("Poe reported an error in an answer of bot {}", context.botName());
        }
        // Reports are acknowledged, not kept.
        return ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(json.createObjectNode());
    }
}
