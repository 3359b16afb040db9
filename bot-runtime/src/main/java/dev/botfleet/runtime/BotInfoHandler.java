package dev.botfleet.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.botfleet.api.BotInfo;
import dev.botfleet.api.Fallback;
import dev.botfleet.api.LLMBotSpec;
import dev.botfleet.handler.BotContext;
import dev.botfleet.handler.BotHandler;
import dev.botfleet.handler.poe.PoeEvent;
import dev.botfleet.handler.poe.QueryRequest;
import dev.botfleet.runtime.config.LiveFleet;
import reactor.core.publisher.Flux;

import java.io.UncheckedIOException;

/**
 * Answers the message {@value BotInfo#COMMAND} with a JSON summary of the bot instead of asking the model, and
 * passes every other query on. The summary names no secret, not even a Secret's name, and holds the system
 * prompt only when the bot opts in.
 */
public final class BotInfoHandler implements BotHandler {

    private final BotHandler next;
    private final LiveFleet live;
    private final ObjectMapper json;

    public BotInfoHandler(BotHandler next, LiveFleet live, ObjectMapper json) {
        this.next = next;
        this.live = live;
        this.json = json;
    }

    @Override
    public Flux<PoeEvent> answer(BotContext context, QueryRequest request) {
        BotInfo settings = context.bot().getSpec().getBotInfo();
        boolean enabled = settings == null || !Boolean.FALSE.equals(settings.getEnabled());
        if (enabled && request.lastUserMessage().strip().equalsIgnoreCase(BotInfo.COMMAND)) {
            return Flux.just(new PoeEvent.Text("```json\n" + summary(context, settings) + "\n```"));
        }
        return next.answer(context, request);
    }

    String summary(BotContext context, BotInfo settings) {
        LLMBotSpec spec = context.bot().getSpec();
        ObjectNode summary = json.createObjectNode()
                .put("name", context.botName())
                .put("description", spec.getDescription())
                .put("provider", spec.getProviderRef() == null ? null : spec.getProviderRef().getName())
                .put("model", Models.effectiveModel(spec, FleetContext.fleetOf(context, live)).orElse(null))
                .put("handler", spec.effectiveHandler())
                .put("runtime", spec.effectiveRuntime())
                .put("temperature", spec.getTemperature())
                .put("maxTokens", spec.getMaxTokens());
        ArrayNode fallbacks = summary.putArray("fallbacks");
        if (spec.getFallbacks() != null) {
            for (Fallback fallback : spec.getFallbacks()) {
                fallbacks.addObject().put("provider", fallback.getProviderRef().getName())
                        .put("model", fallback.getModel());
            }
        }
        summary.set("settings", json.valueToTree(FleetContext.fleetOf(context, live).poeSettings(context.bot())));
        if (settings != null && Boolean.TRUE.equals(settings.getIncludeSystemPrompt())) {
            summary.put("systemPrompt", spec.getSystemPrompt());
        }
        try {
            return json.writerWithDefaultPrettyPrinter().writeValueAsString(summary);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
