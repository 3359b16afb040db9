package dev.botfleet.examples.custombot;

import dev.botfleet.handler.BotContext;
import dev.botfleet.handler.BotHandler;
import dev.botfleet.handler.BotHandlerProvider;
import dev.botfleet.handler.poe.PoeEvent;
import dev.botfleet.handler.poe.ProtocolMessage;
import dev.botfleet.handler.poe.QueryRequest;
import reactor.core.publisher.Flux;

import java.util.List;
import java.util.regex.Pattern;

/**
 * An LLM bot with pre- and post-processing: e-mail addresses in the conversation are replaced before anything
 * goes to the provider, and the answer ends with a signature from {@code spec.handlerSettings.signature}.
 *
 * <pre>
 * spec:
 *   handler: redact-and-sign
 *   providerRef: {name: openai}
 *   handlerSettings: {signature: "— the support team"}
 * </pre>
 */
public final class RedactAndSignHandler implements BotHandlerProvider {

    private static final Pattern EMAIL = Pattern.compile("[\\w.+-]+@[\\w-]+(\\.[\\w-]+)+");
    static final String REDACTED = "[e-mail address removed]";

    @Override
    public String name() {
        return "redact-and-sign";
    }

    @Override
    public BotHandler create(BotHandler llm) {
        return (context, request) -> llm.answer(context, redacted(request))
                .concatWith(Flux.defer(() -> signature(context)));
    }

    private static QueryRequest redacted(QueryRequest request) {
        List<ProtocolMessage> messages = request.query().stream()
                .map(m -> m.withContent(EMAIL.matcher(m.content()).replaceAll(REDACTED)))
                .toList();
        return request.withQuery(messages);
    }

    private static Flux<PoeEvent> signature(BotContext context) {
        String signature = context.settings().path("signature").asText("");
        return signature.isEmpty() ? Flux.empty() : Flux.just(new PoeEvent.Text("\n\n" + signature));
    }
}
