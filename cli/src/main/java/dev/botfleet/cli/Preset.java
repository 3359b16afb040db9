package dev.botfleet.cli;

import java.util.Locale;
import java.util.Map;

/** Known-good settings of well-known OpenAI-compatible endpoints and of Poe's bot API, as in examples/providers. */
enum Preset {
    OPENAI("https://api.openai.com/v1", "gpt-4o-mini", null, Map.of(), true),
    AZURE("https://my-resource.openai.azure.com/openai/deployments/gpt-4o-mini", "gpt-4o-mini", "api-key",
            Map.of("api-version", "2024-10-21"), true),
    ANTHROPIC("https://api.anthropic.com/v1", "claude-sonnet-4-5", null, Map.of(), true),
    GEMINI("https://generativelanguage.googleapis.com/v1beta/openai", "gemini-2.5-flash", null, Map.of(), true),
    GROQ("https://api.groq.com/openai/v1", "llama-3.3-70b-versatile", null, Map.of(), true),
    TOGETHER("https://api.together.xyz/v1", "meta-llama/Llama-3.3-70B-Instruct-Turbo", null, Map.of(), true),
    FIREWORKS("https://api.fireworks.ai/inference/v1", "accounts/fireworks/models/llama-v3p1-8b-instruct", null,
            Map.of(), true),
    OLLAMA("http://ollama.ollama.svc.cluster.local:11434/v1", "llama3.2", null, Map.of(), false),
    /** Poe's OpenAI-compatible API, paid from the Poe account of the API key's owner. */
    POE("https://api.poe.com/v1", "Claude-Sonnet-4", null, Map.of(), true),
    /** Poe's bot API (protocol poe): each calling bot's own access key, so that the user's points pay. */
    POE_BOTS(null, "Claude-Sonnet-4", null, Map.of(), false);

    final String baseUrl;
    final String defaultModel;
    final String apiKeyHeader;
    final Map<String, String> queryParams;
    final boolean needsKey;

    Preset(String baseUrl, String defaultModel, String apiKeyHeader, Map<String, String> queryParams,
           boolean needsKey) {
        this.baseUrl = baseUrl;
        this.defaultModel = defaultModel;
        this.apiKeyHeader = apiKeyHeader;
        this.queryParams = queryParams;
        this.needsKey = needsKey;
    }

    /** The name on the command line: poe-bots for POE_BOTS. */
    String optionName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static Preset ofOptionName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    /** Whether the provider speaks Poe's bot protocol rather than OpenAI's. */
    boolean poeBots() {
        return this == POE_BOTS;
    }
}
