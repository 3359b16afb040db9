package dev.botfleet.runtime.llm;

import dev.botfleet.api.ImageInput;
import dev.botfleet.api.LLMBotSpec;
import dev.botfleet.handler.poe.ProtocolMessage;
import dev.botfleet.handler.poe.QueryRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * A Poe conversation as the chat history sent upstream: the bot's system prompt first, then every turn in order
 * (system, user, bot as system, user, assistant). A turn is one Poe message, with the extracted text of each of its
 * attachments as a user message just before it, and for a bot with {@code spec.images} the images attached to a
 * user message as its image parts; turns are what {@link InputBudget} leaves out, oldest first. A request that
 * carries the previous turn's tool calls and their results (function calling) ends with them, after the message
 * being answered.
 *
 * @param prompt the bot's system prompt, if it has one
 * @param turns  the Poe messages, oldest first; the last is the message being answered
 */
public record Conversation(List<ChatMessage> prompt, List<List<ChatMessage>> turns) {

    private static final String IMAGE_ANALYSIS_SEPARATOR = "***";

    public static Conversation of(LLMBotSpec bot, QueryRequest request) {
        List<ChatMessage> prompt = bot.getSystemPrompt() == null || bot.getSystemPrompt().isBlank()
                ? List.of() : List.of(ChatMessage.system(bot.getSystemPrompt()));
        List<List<ChatMessage>> turns = new ArrayList<>();
        for (ProtocolMessage message : request.understoodMessages()) {
            List<ChatMessage> turn = new ArrayList<>();
            // Text before image descriptions, as Poe's reference library orders them.
            attachmentsWithText(message).filter(a -> !isImage(a)).forEach(a -> turn.add(ChatMessage.user(text(a))));
            attachmentsWithText(message).filter(Conversation::isImage)
                    .forEach(a -> turn.add(ChatMessage.user(imageDescription(a))));
            turn.add(switch (message.role()) {
                case SYSTEM -> ChatMessage.system(message.content());
                case BOT -> ChatMessage.assistant(message.content());
                default -> ChatMessage.user(message.content(), bot.getImages() == null ? List.of() : images(message));
            });
            turns.add(turn);
        }
        if (request.toolCalls() != null && request.toolResults() != null && !turns.isEmpty()) {
            // The calls the model made and what the caller's functions returned: part of the turn being answered.
            List<ChatMessage> answered = turns.get(turns.size() - 1);
            answered.add(ChatMessage.toolCalls(request.toolCalls()));
            request.toolResults().forEach(result -> answered.add(ChatMessage.toolResult(result.toolCallId(),
                    result.content())));
        }
        return new Conversation(prompt, turns.stream().map(List::copyOf).toList());
    }

    /** Every message in the order it is sent. */
    public List<ChatMessage> messages() {
        List<ChatMessage> messages = new ArrayList<>(prompt);
        turns.forEach(messages::addAll);
        return messages;
    }

    /** The conversation without its {@code count} oldest turns. */
    Conversation withoutOldest(int count) {
        return new Conversation(prompt, turns.subList(count, turns.size()));
    }

    private static List<String> images(ProtocolMessage message) {
        return message.attachments().stream()
                .filter(attachment -> attachment.url() != null && attachment.contentType() != null
                        && ImageInput.CONTENT_TYPES.contains(attachment.contentType().toLowerCase(Locale.ROOT)))
                .map(ProtocolMessage.Attachment::url)
                .toList();
    }

    private static Stream<ProtocolMessage.Attachment> attachmentsWithText(ProtocolMessage message) {
        return message.attachments().stream()
                .filter(attachment -> attachment.parsedContent() != null && !attachment.parsedContent().isBlank());
    }

    private static boolean isImage(ProtocolMessage.Attachment attachment) {
        return attachment.contentType() != null && attachment.contentType().contains("image");
    }

    private static String text(ProtocolMessage.Attachment attachment) {
        return "Content of the attached file" + quoted(attachment.name()) + ":\n\n" + attachment.parsedContent();
    }

    /**
     * Poe's analysis of an image comes as {@code <file name>***<description>}: the file name is taken from it (the
     * attachment's own name when the separator is missing) and only the description is sent.
     */
    private static String imageDescription(ProtocolMessage.Attachment attachment) {
        String analysis = attachment.parsedContent();
        int separator = analysis.indexOf(IMAGE_ANALYSIS_SEPARATOR);
        String name = separator >= 0 ? analysis.substring(0, separator) : attachment.name();
        String description = separator >= 0
                ? analysis.substring(separator + IMAGE_ANALYSIS_SEPARATOR.length()) : analysis;
        return "Description of the attached image" + quoted(name) + ":\n\n" + description;
    }

    private static String quoted(String name) {
        return name == null || name.isBlank() ? "" : " \"" + name + "\"";
    }
}
