package dev.botfleet.runtime;

import dev.botfleet.runtime.poe.PoeEvent;
import dev.botfleet.runtime.poe.QueryRequest;
import reactor.core.publisher.Flux;

/**
 * Produces the answer to one Poe query. Implementations never touch bytes or framing: {@code meta}, {@code done},
 * keep-alives and the handling of failures are added around them.
 */
public interface BotHandler {

    Flux<PoeEvent> answer(BotContext context, QueryRequest request);
}
