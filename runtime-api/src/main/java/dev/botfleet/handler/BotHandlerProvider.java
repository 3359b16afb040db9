package dev.botfleet.handler;

/**
 * A bot handler packaged with the runtime, found through {@link java.util.ServiceLoader}: list the implementing
 * class in {@code META-INF/services/dev.botfleet.handler.BotHandlerProvider}. An LLMBot uses it by naming it in
 * {@code spec.handler}.
 */
public interface BotHandlerProvider {

    /** The name LLMBots give in {@code spec.handler}: lower-case letters, digits, '-' and '.'. */
    String name();

    /**
     * Creates the handler once, at start.
     *
     * @param llm the built-in LLM handler, for handlers that pre- or post-process what it does
     */
    BotHandler create(BotHandler llm);
}
