package dev.botfleet.runtime;

import dev.botfleet.runtime.poe.PoeEvent;
import dev.botfleet.runtime.poe.QueryRequest;
import reactor.core.publisher.Flux;

/** Repeats the user's last message: a bot that needs no provider, to check a deployment end to end. */
final class EchoBotHandler implements BotHandler {


    @Override
    public Flux<PoeEvent> answer(BotContext context, QueryRequest request) {
        return Flux.just(new PoeEvent.Text(request.lastUserMessage()));
    }
}
