package dev.botfleet.runtime.llm;

import dev.botfleet.api.ImageInput;
import dev.botfleet.api.LLMBotSpec;
import dev.botfleet.handler.poe.ProtocolMessage;
import dev.botfleet.handler.poe.ProtocolMessage.Attachment;
import dev.botfleet.handler.poe.ProtocolMessage.Role;
import dev.botfleet.handler.poe.QueryRequest;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A Poe conversation as the messages sent upstream: prompt first, roles mapped, attachments as Poe describes them. */
class ConversationTest {

    private static Conversation of(LLMBotSpec bot, ProtocolMessage... messages) {
        return Conversation.of(bot, QueryRequest.of(List.of(messages), "u", "c", "m"));
    }

    private static LLMBotSpec bot(String systemPrompt) {
        LLMBotSpec bot = new LLMBotSpec();
        bot.setSystemPrompt(systemPrompt);
        return bot;
    }

    @Test
    void thePromptComesFirstAndPoesRolesBecomeOpenAis() {
        Conversation conversation = of(bot("Be brief."), new ProtocolMessage(Role.SYSTEM, "Poe's context"),
                new ProtocolMessage(Role.USER, "Hi"), new ProtocolMessage(Role.BOT, "Hello!"),
                new ProtocolMessage(Role.TOOL, "{\"skipped\": true}"), new ProtocolMessage(Role.USER, "Again"));

        assertThat(conversation.prompt()).containsExactly(ChatMessage.system("Be brief."));
        assertThat(conversation.messages()).containsExactly(ChatMessage.system("Be brief."),
                ChatMessage.system("Poe's context"), ChatMessage.user("Hi"), ChatMessage.assistant("Hello!"),
                ChatMessage.user("Again"));
        assertThat(conversation.turns()).as("one turn per understood Poe message").hasSize(4);
        assertThat(of(bot("  "), new ProtocolMessage(Role.USER, "Hi")).prompt()).as("a blank prompt is no prompt")
                .isEmpty();
    }

    /** Poe sends an image's analysis as "<file name>***<description>"; the model gets the description. */
    @Test
    void attachmentsTextGoesBeforeItsMessageTextFilesFirstThenImageDescriptions() {
        ProtocolMessage message = new ProtocolMessage(Role.USER, "Summarise", null, List.of(
                new Attachment("https://poe/map.png", "image/png", "upload.png", "map.png***A map of Nepal."),
                new Attachment("https://poe/notes.txt", "text/plain", "notes.txt", "Nepal borders China."),
                new Attachment("https://poe/photo.jpg", "image/jpeg", "photo.jpg", "A mountain at dawn."),
                new Attachment("https://poe/empty.txt", "text/plain", "empty.txt", " "),
                new Attachment("https://poe/raw.pdf", "application/pdf", null, "Page one.")));

        assertThat(of(bot(null), message).turns().get(0)).extracting(ChatMessage::content).containsExactly(
                "Content of the attached file \"notes.txt\":\n\nNepal borders China.",
                "Content of the attached file:\n\nPage one.",
                "Description of the attached image \"map.png\":\n\nA map of Nepal.",
                "Description of the attached image \"photo.jpg\":\n\nA mountain at dawn.",
                "Summarise");
    }

    @Test
    void onlyABotWithImagesSendsTheImagesOfAUserMessage() {
        ProtocolMessage message = new ProtocolMessage(Role.USER, "What is this?", null, List.of(
                new Attachment("https://poe/cat.PNG", "IMAGE/PNG", "cat.png", null),
                new Attachment("https://poe/clip.mp4", "video/mp4", "clip.mp4", null)));
        LLMBotSpec vision = bot(null);
        vision.setImages(new ImageInput());

        assertThat(of(vision, message).messages()).containsExactly(
                ChatMessage.user("What is this?", List.of("https://poe/cat.PNG")));
        assertThat(of(bot(null), message).messages()).containsExactly(ChatMessage.user("What is this?"));
    }

    @Test
    void leavingOutTheOldestTurnsKeepsThePrompt() {
        Conversation conversation = of(bot("Be brief."), new ProtocolMessage(Role.USER, "one"),
                new ProtocolMessage(Role.USER, "two"), new ProtocolMessage(Role.USER, "three"));

        assertThat(conversation.withoutOldest(2).messages()).containsExactly(ChatMessage.system("Be brief."),
                ChatMessage.user("three"));
    }
}
