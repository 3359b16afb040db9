package dev.botfleet.runtime.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.botfleet.api.LLMBot;
import dev.botfleet.api.LLMBotSpec;
import dev.botfleet.api.PoeSettings;
import dev.botfleet.handler.BotContext;
import dev.botfleet.handler.BotHandler;
import dev.botfleet.handler.poe.PoeEvent;
import dev.botfleet.handler.poe.PoeRequestException;
import dev.botfleet.handler.poe.QueryRequest;
import dev.botfleet.runtime.BotMetrics;
import dev.botfleet.runtime.FleetContext;
import dev.botfleet.runtime.Models;
import dev.botfleet.runtime.config.Fleet;
import dev.botfleet.runtime.config.LiveFleet;
import dev.botfleet.runtime.poe.PoeRequest;
import dev.botfleet.runtime.poe.PoeRequests;
import dev.botfleet.runtime.poe.PoeStream;
import dev.botfleet.runtime.poe.UserError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.BodyInserter;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.channel.AbortedException;

import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicLong;

/** The Poe protocol over HTTP: {@code POST /bots/{name}}, the probe {@code GET /bots/{name}} and {@code GET /bots}. */
public final class PoeEndpoint {

    private static final Logger log = LoggerFactory.getLogger(PoeEndpoint.class);
    private static final MediaType EVENT_STREAM = MediaType.parseMediaType("text/event-stream;charset=utf-8");

    private final LiveFleet live;
    private final AccessKeyCheck accessKeys;
    private final PoeRequests requests;
    private final BotHandler handler;
    private final PoeStream stream;
    private final ObjectMapper json;
    private final int maxBodyBytes;
    private final BodyBudget bodyBudget;
    private final Drain drain;
    private final BotMetrics metrics;

    public PoeEndpoint(LiveFleet live, AccessKeyCheck accessKeys, PoeRequests requests, BotHandler handler,
                       PoeStream stream, ObjectMapper json, int maxBodyBytes, BodyBudget bodyBudget, Drain drain,
                       BotMetrics metrics) {
        this.live = live;
        this.accessKeys = accessKeys;
        this.requests = requests;
        this.handler = handler;
        this.stream = stream;
        this.json = json;
        this.maxBodyBytes = maxBodyBytes;
        this.bodyBudget = bodyBudget;
        this.drain = drain;
        this.metrics = metrics;
    }

    public Mono<ServerResponse> post(ServerRequest request) {
        Fleet fleet = live.current();
        String name = request.pathVariable("name");
        try {
            LLMBot bot = bot(fleet, name);
            accessKeys.verify(bot, fleet, request.headers().firstHeader(HttpHeaders.AUTHORIZATION));
            return body(request)
                    .flatMap(bytes -> dispatch(request, new FleetContext(bot, fleet), requests.read(bytes)))
                    .onErrorResume(PoeRequestException.class, PoeEndpoint::refuse);
        } catch (PoeRequestException e) {
            return refuse(e);
        }
    }

    public Mono<ServerResponse> probe(ServerRequest request) {
        String name = request.pathVariable("name");
        try {
            bot(live.current(), name);
        } catch (PoeRequestException e) {
            return refuse(e);
        }
        return ServerResponse.ok().contentType(MediaType.TEXT_HTML)
                .bodyValue("<!doctype html><html><body><p>botfleet: Poe bot " + "'" + escape(name)
                        + "' is served here.</p></body></html>");
    }

    public Mono<ServerResponse> list(ServerRequest request) {
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

    public Mono<ServerResponse> methodNotAllowed(ServerRequest request) {
        return ServerResponse.status(HttpStatus.METHOD_NOT_ALLOWED).header(HttpHeaders.ALLOW, "GET, POST")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(detail("Method Not Allowed"));
    }

    private Mono<ServerResponse> dispatch(ServerRequest request, BotContext context, PoeRequest poeRequest) {
        if (poeRequest instanceof PoeRequest.Query query) {
            return answer(context, query.query(), CallerConnection.of(request));
        }
        if (poeRequest instanceof PoeRequest.Settings) {
            return ServerResponse.ok().contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(FleetContext.fleetOf(context, live).poeSettings(context.bot()));
        }
        if (poeRequest instanceof PoeRequest.Unsupported) {
            return ServerResponse.status(HttpStatus.NOT_IMPLEMENTED).contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(detail("Unsupported request type"));
        }
        if (poeRequest instanceof PoeRequest.ReportError) {
            metrics.poeReportedError(context.botName());
            log.warn("Poe reported an error in an answer of bot {}", context.botName());
        }
        // Reports are acknowledged, not kept.
        return ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(json.createObjectNode());
    }

    /**
     * The answer as a 200 event stream. While the runtime drains, a new query gets an error that allows a retry, on a
     * connection that then closes: Poe's client asks again, and the Service sends that to a replica still serving.
     */
    private Mono<ServerResponse> answer(BotContext context, QueryRequest query, CallerConnection caller) {
        boolean draining = drain.draining();
        Flux<PoeEvent> answer = draining ? Flux.just(UserError.SERVER_RESTARTING.in(query.languageCode()))
                : drain.track(handler.answer(context, query), query.languageCode());
        Flux<String> wire = stream.frames(meta(context.bot()), answer, query.languageCode(), caller.timers())
                .takeUntilOther(caller.hangUp());
        // writeWith, not writeAndFlushWith: Reactor Netty flushes whenever no further frame is ready, so a lone
        // token leaves at once while frames arriving together share one write.
        BodyInserter<Flux<String>, org.springframework.http.ReactiveHttpOutputMessage> inserter =
                (message, ignored) -> message.writeWith(wire.map(frame ->
                        message.bufferFactory().wrap(frame.getBytes(StandardCharsets.UTF_8))));
        ServerResponse.BodyBuilder response = ServerResponse.ok()
                .contentType(EVENT_STREAM)
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .header("X-Accel-Buffering", "no");
        if (draining) {
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

    /**
     * The request body, refused with 413 past the size limit and with 503 while the bodies being received together
     * pass the body budget. A caller that hangs up mid-body gets nothing: there is no one to answer.
     */
    private Mono<byte[]> body(ServerRequest request) {
        AtomicLong taken = new AtomicLong();
        Flux<DataBuffer> budgeted = request.bodyToFlux(DataBuffer.class).handle((buffer, sink) -> {
            if (bodyBudget.take(buffer.readableByteCount())) {
                taken.addAndGet(buffer.readableByteCount());
                sink.next(buffer);
            } else {
                DataBufferUtils.release(buffer);
                sink.error(new PoeRequestException(503, "too many request bodies are being received at once; "
                        + "retry shortly"));
            }
        });
        return DataBufferUtils.join(budgeted, maxBodyBytes)
                .map(buffer -> {
                    byte[] bytes = new byte[buffer.readableByteCount()];
                    buffer.read(bytes);
                    DataBufferUtils.release(buffer);
                    return bytes;
                })
                .defaultIfEmpty(new byte[0])
                .onErrorMap(DataBufferLimitException.class, e -> new PoeRequestException(413,
                        "request body exceeds " + maxBodyBytes + " bytes"))
                .onErrorResume(AbortedException::isConnectionReset, gone -> Mono.empty())
                .doFinally(signal -> bodyBudget.give(taken.getAndSet(0)));
    }

    private static LLMBot bot(Fleet fleet, String name) {
        return fleet.bot(name).orElseThrow(() -> new PoeRequestException(404, "Unknown bot '" + name + "'"));
    }

    private static Mono<ServerResponse> refuse(PoeRequestException e) {
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

    private static ObjectNode detail(String message) {
        return JsonNodeFactory.instance.objectNode().put("detail", message);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&#39;");
    }
}
