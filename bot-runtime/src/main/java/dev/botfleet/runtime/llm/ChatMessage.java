package dev.botfleet.runtime.llm;

import java.util.List;

/**
 * One message of the conversation sent upstream, in OpenAI's roles.
 *
 * @param images for a user message: URLs (or {@code data:} URLs) of the images sent with it as image parts
 */
public record ChatMessage(Role role, String content, List<String> images) {

    public enum Role { SYSTEM, USER, ASSISTANT }

    public ChatMessage {
        images = List.copyOf(images);
    }

    public static ChatMessage system(String content) {
        return new ChatMessage(Role.SYSTEM, content, List.of());
    }

    public static ChatMessage user(String content) {
        return new ChatMessage(Role.USER, content, List.of());
    }

    public static ChatMessage user(String content, List<String> images) {
        return new ChatMessage(Role.USER, content, images);
    }

    public static ChatMessage assistant(String content) {
        return new ChatMessage(Role.ASSISTANT, content, List.of());
    }

    /** The same message with {@code replaced} images. */
    public ChatMessage withImages(List<String> replaced) {
        return new ChatMessage(role, content, replaced);
    }
}
