package dev.botfleet.runtime;

import dev.botfleet.api.LLMBotSpec;
import dev.botfleet.handler.BotContext;
import dev.botfleet.handler.BotHandler;
import dev.botfleet.handler.BotHandlerProvider;
import dev.botfleet.handler.poe.PoeEvent;
import dev.botfleet.handler.poe.QueryRequest;
import dev.botfleet.runtime.poe.UserError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The handlers this runtime has, by name: the built-in {@code llm} and {@code echo}, and every
 * {@link BotHandlerProvider} on the class path. Each query goes to the handler its bot names in
 * {@code spec.handler}; a name this runtime does not have is answered with an {@code error} event.
 */
public final class BotHandlers implements BotHandler {

    private static final Logger log = LoggerFactory.getLogger(BotHandlers.class);

    private final Map<String, BotHandler> handlers = new TreeMap<>();
    private final OwnerLog ownerLog;

    public BotHandlers(BotHandler llm, OwnerLog ownerLog) {
        this.ownerLog = ownerLog;
        handlers.put(LLMBotSpec.LLM_HANDLER, llm);
        handlers.put(LLMBotSpec.ECHO_HANDLER, new EchoBotHandler());
        for (BotHandlerProvider provider : ServiceLoader.load(BotHandlerProvider.class)) {
            if (handlers.putIfAbsent(provider.name(), provider.create(llm)) != null) {
                throw new IllegalStateException("two bot handlers are named '" + provider.name() + "'");
            }
            log.info("bot handler '{}' loaded from {}", provider.name(), provider.getClass().getName());
        }
    }

    @Override
    public Flux<PoeEvent> answer(BotContext context, QueryRequest request) {
        String name = context.bot().getSpec().effectiveHandler();
        BotHandler handler = handlers.get(name);
        if (handler == null) {
            ownerLog.told(context.botName(), request.messageId(), UserError.BOT_UNAVAILABLE, "this runtime has no "
                    + "handler '" + name + "' (it has " + String.join(", ", handlers.keySet()) + "); use a runtime "
                    + "image that packages it");
            return Flux.just(UserError.BOT_UNAVAILABLE.in(request.languageCode()));
        }
        return handler.answer(context, request);
    }
}
