package dev.botfleet.runtime.llm;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;

import java.util.List;
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

    /** The tokens {@code messages} cost {@code model}, without the reply's priming. */
    public int count(String model, List<ChatMessage> messages) {
        Counting counting = counting(model);
        int tokens = 0;
        for (ChatMessage message : messages) {
            tokens += PER_MESSAGE + counting.encoding().countTokensOrdinary(message.content())
                    + PER_IMAGE * message.images().size();
        }
        return counting.estimated() ? tokens + (tokens + 3) / 4 : tokens;
    }

    private record Counting(Encoding encoding, boolean estimated) {
    }

    private Counting counting(String model) {
        String name = model == null ? "" : model.toLowerCase(java.util.Locale.ROOT);
        if (O200K_PREFIXES.stream().anyMatch(name::startsWith)) {
            return new Counting(registry.getEncoding(EncodingType.O200K_BASE), false);
        }
        Optional<Encoding> known = registry.getEncodingForModel(name);
        return known.map(encoding -> new Counting(encoding, false))
                .orElseGet(() -> new Counting(registry.getEncoding(EncodingType.CL100K_BASE), true));
    }
}
