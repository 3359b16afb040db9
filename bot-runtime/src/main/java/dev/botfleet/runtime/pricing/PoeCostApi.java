package dev.botfleet.runtime.pricing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.botfleet.api.Pricing;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * Poe's cost API for priced bots ({@code <bot API>cost/<bot_query_id>/authorize} and {@code .../capture}), as
 * fastapi_poe's {@code authorize_cost} and {@code capture_cost} call it: the amounts and the bot's access key in a
 * JSON body, the answer a {@code result} event whose status is {@code success} when Poe agrees.
 */
public final class PoeCostApi {

    private static final ParameterizedTypeReference<ServerSentEvent<String>> EVENTS =
            new ParameterizedTypeReference<>() { };

    /** How one request to the cost API ended. */
    public sealed interface Outcome {
        /** Poe agreed: the amount is reserved (authorize) or charged (capture). */
        record Approved() implements Outcome {
        }

        /** Poe answered, and not with success: for an authorization, the user lacks the points. */
        record Refused(String status) implements Outcome {
        }

        /** No answer from Poe: an HTTP error, a timeout, no connection. */
        record Failed(String reason) implements Outcome {
        }
    }

    private final WebClient web;
    private final String botApiUrl;
    private final Duration timeout;
    private final ObjectMapper json;

    /**
     * @param botApiUrl Poe's bot API, {@code https://api.poe.com/bot/}
     * @param timeout   the longest wait for Poe's answer
     */
    public PoeCostApi(String botApiUrl, Duration timeout, ObjectMapper json) {
        this.web = WebClient.builder()
                .clientConnector(new ReactorClientHttpConnector(HttpClient.create().responseTimeout(timeout)))
                .build();
        this.botApiUrl = botApiUrl.endsWith("/") ? botApiUrl : botApiUrl + "/";
        this.timeout = timeout;
        this.json = json;
    }

    public Mono<Outcome> authorize(String botQueryId, String accessKey, List<Pricing.Item> amounts) {
        return request(botQueryId, "authorize", accessKey, amounts);
    }

    public Mono<Outcome> capture(String botQueryId, String accessKey, List<Pricing.Item> amounts) {
        return request(botQueryId, "capture", accessKey, amounts);
    }

    private Mono<Outcome> request(String botQueryId, String step, String accessKey, List<Pricing.Item> amounts) {
        ObjectNode body = json.createObjectNode();
        amounts.forEach(item -> body.withArray("amounts").addObject()
                .put("amount_usd_milli_cents", item.usdMilliCents()).put("description", item.description()));
        body.put("access_key", accessKey);
        return web.post().uri(url(botQueryId, step))
                .contentType(MediaType.APPLICATION_JSON)
                .accept(MediaType.TEXT_EVENT_STREAM)
                .headers(headers -> headers.setCacheControl("no-store"))
                .bodyValue(body)
                .exchangeToMono(this::outcome)
                .timeout(timeout)
                .onErrorResume(failure -> Mono.just(new Outcome.Failed(failure instanceof TimeoutException
                        ? "no answer within " + timeout.toMillis() + " ms" : String.valueOf(failure.getMessage()))));
    }

    private Mono<Outcome> outcome(ClientResponse response) {
        if (response.statusCode().value() != 200) {
            return response.bodyToMono(String.class).defaultIfEmpty("")
                    .map(text -> new Outcome.Failed("HTTP " + response.statusCode().value() + " " + shorten(text)));
        }
        return response.bodyToFlux(EVENTS)
                .filter(event -> "result".equals(event.event()))
                .next()
                .map(this::result)
                .defaultIfEmpty(new Outcome.Refused("no result event"));
    }

    private Outcome result(ServerSentEvent<String> event) {
        try {
            String status = json.readTree(String.valueOf(event.data())).path("status").asText("");
            return "success".equals(status) ? new Outcome.Approved() : new Outcome.Refused(status);
        } catch (com.fasterxml.jackson.core.JsonProcessingException malformed) {
            return new Outcome.Failed("a result event that is not JSON");
        }
    }

    private URI url(String botQueryId, String step) {
        return UriComponentsBuilder.fromUriString(botApiUrl).pathSegment("cost", botQueryId, step)
                .encode().build().toUri();
    }

    private static String shorten(String text) {
        String line = text.replaceAll("\\s+", " ").strip();
        return line.length() <= 200 ? line : line.substring(0, 200) + "...";
    }
}
