package dev.botfleet.runtime;

import dev.botfleet.handler.BotContext;
import dev.botfleet.handler.BotHandler;
import dev.botfleet.handler.poe.PoeEvent;
import dev.botfleet.handler.poe.QueryRequest;
import reactor.core.publisher.Flux;

/** Repeats the user's last message: a bot that needs no provider, to check a deployment end to end. */
final class EchoBotHandler implements BotHandler {


    @Override
    public Flux<PoeEvent> answer(BotContext context, QueryRequest request) {
        return Flux.just(new PoeEvent.Text(request.lastUserMessage()));
    }
}
