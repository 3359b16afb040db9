package dev.botfleet.runtime.llm;

import dev.botfleet.handler.poe.ToolCall;

import java.util.List;

/**
 * One message of the conversation sent upstream, in OpenAI's roles.
 *
 * @param images     for a user message: URLs (or {@code data:} URLs) of the images sent with it as image parts
 * @param toolCalls  for an assistant message: the function calls the model made
 * @param toolCallId for a tool message: the call whose result {@code content} is
 */
public record ChatMessage(Role role, String content, List<String> images, List<ToolCall> toolCalls,
                          String toolCallId) {

    public enum Role { SYSTEM, USER, ASSISTANT, TOOL }

    public ChatMessage {
        images = List.copyOf(images);
        toolCalls = List.copyOf(toolCalls);
    }

    public static ChatMessage system(String content) {
        return new ChatMessage(Role.SYSTEM, content, List.of(), List.of(), null);
    }

    public static ChatMessage user(String content) {
        return user(content, List.of());
    }

    public static ChatMessage user(String content, List<String> images) {
        return new ChatMessage(Role.USER, content, images, List.of(), null);
    }

    public static ChatMessage assistant(String content) {
        return new ChatMessage(Role.ASSISTANT, content, List.of(), List.of(), null);
    }

    /** The model's function calls of the previous turn, which the caller has run. */
    public static ChatMessage toolCalls(List<ToolCall> calls) {
        return new ChatMessage(Role.ASSISTANT, "", List.of(), calls, null);
    }

    /** What one of those calls returned. */
    public static ChatMessage toolResult(String toolCallId, String content) {
        return new ChatMessage(Role.TOOL, content, List.of(), List.of(), toolCallId);
    }

    /** The same message with {@code replaced} images. */
    public ChatMessage withImages(List<String> replaced) {
        return new ChatMessage(role, content, replaced, toolCalls, toolCallId);
    }
}
