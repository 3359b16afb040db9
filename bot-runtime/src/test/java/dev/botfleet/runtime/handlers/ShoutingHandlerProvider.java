package dev.botfleet.runtime.handlers;

import dev.botfleet.runtime.BotContext;
import dev.botfleet.runtime.BotHandler;
import dev.botfleet.runtime.BotHandlerProvider;
import dev.botfleet.runtime.poe.PoeEvent;
import dev.botfleet.runtime.poe.ProtocolMessage;
import dev.botfleet.runtime.poe.QueryRequest;
import reactor.core.publisher.Flux;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An example handler that wraps the LLM handler, as a team would package one into a custom runtime image:
 * it pre-processes the conversation (drops everything before the last user message) and post-processes the
 * streamed answer (upper case, then a suffix taken from {@code spec.handlerSettings.suffix}).
 */
public final class ShoutingHandlerProvider implements BotHandlerProvider {

    @Override
    public String name() {
        return "shouting";
    }

    @Override
    public BotHandler create(BotHandler llm) {
        return (context, request) -> llm.answer(context, lastMessageOnly(request))
                .map(ShoutingHandlerProvider::shout)
                .concatWith(Flux.just(new PoeEvent.Text(context.settings().path("suffix").asText(""))));
    }

    private static QueryRequest lastMessageOnly(QueryRequest request) {
        List<ProtocolMessage> last = new ArrayList<>();
        last.add(new ProtocolMessage(ProtocolMessage.Role.USER, request.lastUserMessage()));
        return new QueryRequest(request.version(), last, request.userId(), request.conversationId(),
                request.messageId(), request.temperature(), request.stopSequences());
    }

    private static PoeEvent shout(PoeEvent event) {
        return event instanceof PoeEvent.Text text ? new PoeEvent.Text(text.text().toUpperCase(Locale.ROOT)) : event;
    }
}
