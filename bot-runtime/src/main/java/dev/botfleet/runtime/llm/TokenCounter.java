package dev.botfleet.runtime.llm;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Counts the tokens a list of chat messages costs a model, with OpenAI's encodings (jtokkit). A model whose encoding
 * is not known (most models of other providers) is counted with cl100k_base plus a quarter: their tokenizers are
 * rarely more than that much less efficient, so an estimate errs towards trimming a turn too many.
 */
public final class TokenCounter {

    /** What OpenAI's chat format adds around each message (role and separators), and to prime the reply. */
    static final int PER_MESSAGE = 4;
    static final int PER_REPLY = 3;
    /**
     * What one image is counted as: OpenAI's cost of a 1024×1024 image in high detail. Providers scale and tile
     * images differently; an estimate is what a budget can do without the image's size.
     */
    static final int PER_IMAGE = 765;
    /** Models on o200k_base that jtokkit's own table does not name. */
    private static final List<String> O200K_PREFIXES = List.of("gpt-4o", "gpt-4.1", "gpt-4.5", "gpt-5", "o1", "o3",
            "o4");

    private final EncodingRegistry registry = Encodings.newLazyEncodingRegistry();

    /** How {@code model}'s tokens are counted, resolved once for all the messages of a conversation. */
    public ModelTokens forModel(String model) {
        String name = model == null ? "" : model.toLowerCase(Locale.ROOT);
        if (O200K_PREFIXES.stream().anyMatch(name::startsWith)) {
            return new ModelTokens(registry.getEncoding(EncodingType.O200K_BASE), false);
        }
        Optional<Encoding> known = registry.getEncodingForModel(name);
        return known.map(encoding -> new ModelTokens(encoding, false))
                .orElseGet(() -> new ModelTokens(registry.getEncoding(EncodingType.CL100K_BASE), true));
    }

    /** One model's encoding; {@code estimated} when it is cl100k_base standing in for an unknown one. */
    public record ModelTokens(Encoding encoding, boolean estimated) {

        /** The tokens {@code messages} cost, without the reply's priming. */
        public int count(List<ChatMessage> messages) {
            int tokens = 0;
            for (ChatMessage message : messages) {
                tokens += PER_MESSAGE + encoding.countTokensOrdinary(message.content())
                        + PER_IMAGE * message.images().size();
            }
            return estimated ? tokens + (tokens + 3) / 4 : tokens;
        }

        /** What the model reads for {@code messages}, the reply's priming included: its prompt tokens. */
        public int input(List<ChatMessage> messages) {
            return PER_REPLY + count(messages);
        }

        /** The tokens of {@code text} the model wrote: its completion tokens. */
        public int output(String text) {
            int tokens = encoding.countTokensOrdinary(text);
            return estimated ? tokens + (tokens + 3) / 4 : tokens;
        }
    }
}
