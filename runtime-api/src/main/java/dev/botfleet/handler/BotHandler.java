package dev.botfleet.handler;

import dev.botfleet.handler.poe.PoeEvent;
import dev.botfleet.handler.poe.QueryRequest;
import reactor.core.publisher.Flux;

/**
 * Produces the answer to one Poe query: {@code text}, {@code replace_response}, {@code suggested_reply},
 * {@code file}, {@code data} or {@code error} events. Implementations never touch bytes or framing: {@code meta}
 * first, {@code done} last, keep-alives, cancellation when Poe hangs up, and an {@code error} event for a handler
 * that fails are added around them. The answer ends at the first {@code error} event.
 */
public interface BotHandler {

    Flux<PoeEvent> answer(BotContext context, QueryRequest request);
}
