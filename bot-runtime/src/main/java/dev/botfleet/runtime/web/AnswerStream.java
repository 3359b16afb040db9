package dev.botfleet.runtime.web;

import dev.botfleet.api.LLMBot;
import dev.botfleet.api.PoeSettings;
import dev.botfleet.handler.poe.PoeEvent;
import dev.botfleet.handler.poe.QueryRequest;
import dev.botfleet.runtime.poe.PoeStream;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ReactiveHttpOutputMessage;
import org.springframework.web.reactive.function.BodyInserter;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.nio.charset.StandardCharsets;

/** An answer as Poe receives it: a 200 event stream of its frames, ended when the caller hangs up. */
final class AnswerStream {

    private static final MediaType EVENT_STREAM = MediaType.parseMediaType("text/event-stream;charset=utf-8");

    private final PoeStream stream;

    AnswerStream(PoeStream stream) {
        this.stream = stream;
    }

    /** @param lastOnConnection whether the connection closes after this answer */
    Mono<ServerResponse> respond(ServerRequest request, LLMBot bot, QueryRequest query, Flux<PoeEvent> answer,
                                 boolean lastOnConnection) {
        CallerConnection caller = CallerConnection.of(request);
        Flux<String> wire = stream.frames(meta(bot), answer, query.languageCode(), caller.timers())
                .takeUntilOther(caller.hangUp());
        // writeWith, not writeAndFlushWith: Reactor Netty flushes whenever no further frame is ready, so a lone
        // token leaves at once while frames arriving together share one write.
        BodyInserter<Flux<String>, ReactiveHttpOutputMessage> inserter = (message, ignored) ->
                message.writeWith(wire.map(frame -> message.bufferFactory().wrap(frame.getBytes(StandardCharsets.UTF_8))));
        ServerResponse.BodyBuilder response = ServerResponse.ok()
                .contentType(EVENT_STREAM)
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .header("X-Accel-Buffering", "no");
        if (lastOnConnection) {
            response.header(HttpHeaders.CONNECTION, "close");
        }
        return response.body(inserter);
    }

    static PoeEvent.Meta meta(LLMBot bot) {
        PoeSettings poe = bot.getSpec().getPoe();
        boolean plain = poe != null && poe.getContentType() == PoeSettings.ContentType.PLAIN;
        boolean suggestions = poe != null && Boolean.TRUE.equals(poe.getSuggestedReplies());
        return new PoeEvent.Meta(plain ? "text/plain" : "text/markdown", suggestions);
    }
}
