package dev.botfleet.runtime.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.botfleet.api.LLMProviderSpec;
import dev.botfleet.api.ProviderTarget;
import dev.botfleet.handler.poe.ToolDefinition;
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
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Streams one chat completion from a provider as a {@link Flux} of chunks. {@link ChatRequestBody} writes the
 * request, the chunks are read into {@link StreamChunk}, and the HTTP exchange runs on {@link UpstreamHttp}. Cancelling the
 * subscription (Poe went away) closes the upstream connection; a provider silent for longer than its timeout fails
 * the Flux.
 */
public final class UpstreamStreamer {

    private static final String END_OF_STREAM = "[DONE]";
    private static final ParameterizedTypeReference<ServerSentEvent<String>> EVENTS =
            new ParameterizedTypeReference<>() { };
    private static final Pattern TRAILING_SLASHES = Pattern.compile("/+$");
    private static final ObjectReader CHUNK_READER = new ObjectMapper().readerFor(StreamChunk.class);

    private final UpstreamHttp http;

    public UpstreamStreamer(UpstreamHttp http) {
        this.http = http;
    }

    /**
     * What one attempt sends upstream besides the provider's own settings.
     *
     * @param reasoningEffort {@code reasoning_effort} for reasoning models, or null
     * @param tools           the functions the caller offers the model (function calling); empty for none
     */
    public record Call(String model, List<ChatMessage> messages, Double temperature, Integer maxTokens,
                       String reasoningEffort, List<ToolDefinition> tools, List<String> stopSequences,
                       Optional<String> apiKey) {
    }

    public Flux<StreamChunk> stream(String providerName, LLMProviderSpec provider, Call call) {
        ProviderTarget target = new ProviderTarget(providerName, call.model());
        return http.web(provider.effectiveHttpVersion()).post()
                .uri(chatCompletions(provider))
                .headers(headers -> headers(headers, provider, call.apiKey()))
                .contentType(MediaType.APPLICATION_JSON)
                .accept(MediaType.TEXT_EVENT_STREAM)
                .bodyValue(ChatRequestBody.of(call))
                // Netty's read timeout on the connection, not a timer per chunk: the time since the last bytes read
                .httpRequest(request -> request.<HttpClientRequest>getNativeRequest()
                        .responseTimeout(provider.effectiveTimeout()))
                .exchangeToFlux(response -> chunks(response, target));
    }

    private static Flux<StreamChunk> chunks(ClientResponse response, ProviderTarget target) {
        if (!response.statusCode().is2xxSuccessful()) {
            return response.createException().flatMapMany(Flux::error);
        }
        // Comments (keep-alives) carry no data. [DONE] is skipped rather than ending the Flux, so the body is read
        // to its end and the connection can be reused.
        return response.bodyToFlux(EVENTS)
                .filter(event -> event.data() != null && !END_OF_STREAM.equals(event.data().strip()))
                .handle((ServerSentEvent<String> event, SynchronousSink<StreamChunk> sink) ->
                        parse(event.data(), target, sink));
    }

    private static void parse(String data, ProviderTarget target, SynchronousSink<StreamChunk> sink) {
        StreamChunk chunk;
        try {
            chunk = CHUNK_READER.readValue(data);
        } catch (JsonProcessingException malformed) {
            sink.error(malformed);
            return;
        }
        if (chunk.error() != null) {
            sink.error(UpstreamFailure.reportedInStream(target, chunk.error()));
        } else {
            sink.next(chunk);
        }
    }

    private static URI chatCompletions(LLMProviderSpec provider) {
        String baseUrl = TRAILING_SLASHES.matcher(provider.effectiveBaseUrl()).replaceAll("");
        UriComponentsBuilder uri = UriComponentsBuilder.fromUriString(baseUrl).path("/chat/completions");
        Objects.requireNonNullElse(provider.getQueryParams(), Map.<String, String>of()).forEach(uri::queryParam);
        return uri.encode().build().toUri();
    }

    private static void headers(HttpHeaders headers, LLMProviderSpec provider, Optional<String> apiKey) {
        Objects.requireNonNullElse(provider.getHeaders(), Map.<String, String>of()).forEach(headers::set);
        if (provider.getOrganization() != null) {
            headers.set("OpenAI-Organization", provider.getOrganization());
        }
        apiKey.ifPresent(key -> {
            String header = provider.getApiKeyHeader();
            if (header == null || header.equalsIgnoreCase(HttpHeaders.AUTHORIZATION)) {
                headers.setBearerAuth(key);
            } else {
                headers.set(header, key);
            }
        });
    }
}
