package dev.botfleet.runtime.llm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.botfleet.api.LLMProviderSpec;
import dev.botfleet.api.ProviderTarget;
import dev.botfleet.handler.poe.PoeEvent;
import dev.botfleet.handler.poe.PoeEventCodec;
import dev.botfleet.handler.poe.ProtocolMessage;
import dev.botfleet.handler.poe.QueryRequest;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.SynchronousSink;
import reactor.netty.http.client.HttpClientRequest;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Streams an answer of another Poe bot through Poe's bot API ({@code protocol: poe}): the Poe query relayed as
 * fastapi_poe's client sends it, to {@code <baseUrl><bot name>} with the calling bot's access key, so that the user's
 * own Poe points pay. The answer's events come back as they are, but for {@code meta}, which the calling bot's own
 * framing decides; the stream ends at {@code done}, and an {@code error} the bot sends fails it (retried when it allows
 * a retry, as any provider failure is).
 */
public final class PoeBotStreamer {

    private static final ParameterizedTypeReference<ServerSentEvent<String>> EVENTS =
            new ParameterizedTypeReference<>() { };

    private final UpstreamHttp http;
    private final ObjectMapper json;
    private final PoeEventCodec codec;

    public PoeBotStreamer(UpstreamHttp http, ObjectMapper json) {
        this.http = http;
        this.json = json;
        this.codec = new PoeEventCodec(json);
    }

    /**
     * One call: the query as the calling bot relays it.
     *
     * @param query     the user's query with the calling bot's system prompt first and what did not fit its input
     *                  budget left out, sampling as the calling bot sets it
     * @param accessKey the calling bot's own Poe access key
     */
    public record Call(String bot, QueryRequest query, String accessKey) {
    }

    /**
     * The query a bot relays: its system prompt first, then the user's conversation as Poe sent it, tool results
     * included, from the oldest message the input budget kept (messages of a role or type this runtime does not
     * know are left out, as it cannot write them as they came); the rest of the request kept but for what the
     * calling bot decides (its prompt is never skipped, no logit_bias).
     *
     * @param leftOut how many of the oldest messages the bot understands the input budget left out
     */
    static QueryRequest relayed(QueryRequest request, String systemPrompt, int leftOut, Double temperature) {
        List<ProtocolMessage> query = new ArrayList<>();
        if (systemPrompt != null && !systemPrompt.isBlank()) {
            query.add(new ProtocolMessage(ProtocolMessage.Role.SYSTEM, systemPrompt));
        }
        query.addAll(kept(request, leftOut));
        return new QueryRequest(request.version(), query, request.userId(), request.conversationId(),
                request.messageId(), request.metadata(), temperature, false, Map.of(), request.stopSequences(),
                request.languageCode(), request.adoptCurrentBotName(), request.botQueryId(), request.users(),
                request.tools(), request.toolCalls(), request.toolResults(), request.queryCreationTime(),
                request.extraParams());
    }

    private static List<ProtocolMessage> kept(QueryRequest request, int leftOut) {
        int from = 0;
        if (leftOut > 0) {
            ProtocolMessage oldestKept = request.understoodMessages().get(leftOut);
            while (request.query().get(from) != oldestKept) {
                from++;
            }
        }
        return request.query().subList(from, request.query().size()).stream()
                .filter(PoeBotStreamer::relayable).toList();
    }

    /** Whether the message can be written as Poe sent it: a role, content type and type this runtime knows. */
    private static boolean relayable(ProtocolMessage message) {
        return message.role() != ProtocolMessage.Role.UNKNOWN
                && message.contentType() != ProtocolMessage.ContentType.UNKNOWN
                && message.messageType() != ProtocolMessage.MessageType.UNKNOWN;
    }

    public Flux<PoeEvent> stream(String providerName, LLMProviderSpec provider, Call call) {
        ProviderTarget target = new ProviderTarget(providerName, call.bot());
        ObjectNode body = json.valueToTree(call.query());
        body.put("type", "query");
        return http.web(provider.effectiveHttpVersion()).post()
                .uri(botUrl(provider, call.bot()))
                .headers(headers -> {
                    Objects.requireNonNullElse(provider.getHeaders(), Map.<String, String>of()).forEach(headers::set);
                    headers.setBearerAuth(call.accessKey());
                    headers.setCacheControl("no-store");
                })
                .contentType(MediaType.APPLICATION_JSON)
                .accept(MediaType.TEXT_EVENT_STREAM)
                .bodyValue(body)
                .httpRequest(request -> request.<HttpClientRequest>getNativeRequest()
                        .responseTimeout(provider.effectiveTimeout()))
                .exchangeToFlux(response -> events(response, target));
    }

    private Flux<PoeEvent> events(ClientResponse response, ProviderTarget target) {
        if (!response.statusCode().is2xxSuccessful()) {
            return response.createException().flatMapMany(Flux::error);
        }
        return response.bodyToFlux(EVENTS)
                .filter(event -> event.data() != null)
                .<PoeEvent>handle((ServerSentEvent<String> event, SynchronousSink<PoeEvent> sink) ->
                        decode(event, target, sink))
                .takeUntil(event -> event instanceof PoeEvent.Done);
    }

    private void decode(ServerSentEvent<String> event, ProviderTarget target, SynchronousSink<PoeEvent> sink) {
        Optional<PoeEvent> decoded;
        try {
            decoded = codec.decode(Objects.requireNonNullElse(event.event(), "message"), event.data());
        } catch (IllegalArgumentException malformed) {
            sink.error(new UpstreamFailure(UpstreamFailure.Kind.PROTOCOL, target + ": the Poe bot sent a malformed "
                    + "event (" + malformed.getMessage() + ")", true));
            return;
        }
        if (decoded.isEmpty() || decoded.get() instanceof PoeEvent.Meta) {
            return;
        }
        if (decoded.get() instanceof PoeEvent.Error error) {
            sink.error(UpstreamFailure.reportedByPoeBot(target, error));
            return;
        }
        sink.next(decoded.get());
    }

    private static URI botUrl(LLMProviderSpec provider, String bot) {
        String base = provider.effectiveBaseUrl().endsWith("/") ? provider.effectiveBaseUrl()
                : provider.effectiveBaseUrl() + "/";
        UriComponentsBuilder uri = UriComponentsBuilder.fromUriString(base).pathSegment(bot);
        Objects.requireNonNullElse(provider.getQueryParams(), Map.<String, String>of()).forEach(uri::queryParam);
        return uri.encode().build().toUri();
    }
}
