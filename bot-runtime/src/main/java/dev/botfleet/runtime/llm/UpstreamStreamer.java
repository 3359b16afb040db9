package dev.botfleet.runtime.llm;

import com.openai.core.http.AsyncStreamResponse;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import dev.botfleet.api.LLMProviderSpec;
import reactor.core.publisher.Flux;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Streams one chat completion from a provider as a {@link Flux} of chunks. Cancelling the subscription (Poe went
 * away) closes the upstream stream; a provider silent for longer than its timeout fails the Flux.
 */
public final class UpstreamStreamer {

    /** OpenAI accepts at most this many stop sequences. */
    private static final int MAX_STOP_SEQUENCES = 4;

    private final ProviderClients clients;

    public UpstreamStreamer(ProviderClients clients) {
        this.clients = clients;
    }

    /** What one attempt sends upstream besides the provider's own settings. */
    public record Call(String model, List<ChatMessage> messages, Double temperature, Integer maxTokens,
                       List<String> stopSequences, Optional<String> apiKey) {
    }

    public Flux<ChatCompletionChunk> stream(String providerName, LLMProviderSpec provider, Call call) {
        String tag = CancellableCalls.newTag();
        ChatCompletionCreateParams params = params(provider, call).toBuilder()
                .putAdditionalHeader(CancellableCalls.TAG_HEADER, tag).build();
        Duration timeout = provider.effectiveTimeout();
        Flux<ChatCompletionChunk> chunks = Flux.create(sink -> {
            AsyncStreamResponse<ChatCompletionChunk> response =
                    clients.client(providerName, provider).chat().completions().createStreaming(params);
            sink.onCancel(() -> clients.calls().cancel(tag));
            sink.onDispose(() -> {
                response.close();
                clients.calls().forget(tag);
            });
            response.subscribe(new AsyncStreamResponse.Handler<>() {
                @Override
                public void onNext(ChatCompletionChunk chunk) {
                    sink.next(chunk);
                }

                @Override
                public void onComplete(Optional<Throwable> error) {
                    error.ifPresentOrElse(sink::error, sink::complete);
                }
            });
        });
        return chunks.timeout(timeout);
    }

    static ChatCompletionCreateParams params(LLMProviderSpec provider, Call call) {
        ChatCompletionCreateParams.Builder params = ChatCompletionCreateParams.builder()
                .model(call.model())
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build());
        for (ChatMessage message : call.messages()) {
            switch (message.role()) {
                case SYSTEM -> params.addSystemMessage(message.content());
                case ASSISTANT -> params.addAssistantMessage(message.content());
                default -> params.addUserMessage(message.content());
            }
        }
        if (call.temperature() != null) {
            params.temperature(call.temperature());
        }
        if (call.maxTokens() != null) {
            params.maxTokens(call.maxTokens().longValue());
        }
        if (!call.stopSequences().isEmpty()) {
            params.stop(ChatCompletionCreateParams.Stop.ofStrings(
                    call.stopSequences().subList(0, Math.min(MAX_STOP_SEQUENCES, call.stopSequences().size()))));
        }
        call.apiKey().ifPresent(key -> {
            String header = provider.getApiKeyHeader();
            if (header == null || header.equalsIgnoreCase("Authorization")) {
                params.putAdditionalHeader("Authorization", "Bearer " + key);
            } else {
                params.putAdditionalHeader(header, key);
            }
        });
        return params.build();
    }
}
