package dev.botfleet.runtime.llm;

import dev.botfleet.api.LLMBotSpec;
import dev.botfleet.handler.poe.ProtocolMessage;
import dev.botfleet.handler.poe.QueryRequest;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns a Poe conversation into the chat history sent upstream: the bot's system prompt first, then every turn
 * in order (system, user, bot as system, user, assistant). The extracted text of an attachment travels as a user
 * message just before the message it was attached to.
 */
public final class Conversation {

    private Conversation() {
    }

    public static List<ChatMessage> of(LLMBotSpec bot, QueryRequest request) {
        List<ChatMessage> messages = new ArrayList<>();
        if (bot.getSystemPrompt() != null && !bot.getSystemPrompt().isBlank()) {
            messages.add(ChatMessage.system(bot.getSystemPrompt()));
        }
        for (ProtocolMessage message : request.understoodMessages()) {
            for (ProtocolMessage.Attachment attachment : message.attachments()) {
                if (attachment.parsedContent() != null && !attachment.parsedContent().isBlank()) {
                    messages.add(ChatMessage.user(describe(attachment)));
                }
            }
            messages.add(switch (message.role()) {
                case SYSTEM -> ChatMessage.system(message.content());
                case BOT -> ChatMessage.assistant(message.content());
                default -> ChatMessage.user(message.content());
            });
        }
        return messages;
    }

    private static String describe(ProtocolMessage.Attachment attachment) {
        String name = attachment.name() == null ? "a file" : "\"" + attachment.name() + "\"";
        String kind = attachment.contentType() != null && attachment.contentType().startsWith("image")
                ? "Description of the attached image " : "Content of the attached file ";
        return kind + name + ":\n\n" + attachment.parsedContent();
    }
}
