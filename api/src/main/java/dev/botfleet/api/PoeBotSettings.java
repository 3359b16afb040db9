package dev.botfleet.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * A bot's settings in Poe's format: the runtime's answer to Poe's {@code settings} request and the body the operator
 * (or {@code botfleet sync-settings}) pushes to Poe's {@code update_settings} endpoint. What {@code spec.poe} sets;
 * keys left unset are left out, so Poe applies its own defaults for them, except {@code allow_attachments}: Poe's own
 * pages disagree on its default, so it is always sent.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PoeBotSettings(
        @JsonProperty("response_version") int responseVersion,
        @JsonProperty("server_bot_dependencies") Map<String, Integer> serverBotDependencies,
        @JsonProperty("allow_attachments") Boolean allowAttachments,
        @JsonProperty("introduction_message") String introductionMessage,
        @JsonProperty("expand_text_attachments") Boolean expandTextAttachments,
        @JsonProperty("enable_image_comprehension") Boolean enableImageComprehension,
        @JsonProperty("enforce_author_role_alternation") Boolean enforceAuthorRoleAlternation,
        @JsonProperty("enable_multi_entity_prompting") Boolean enableMultiEntityPrompting,
        @JsonProperty("rate_card") String rateCard,
        @JsonProperty("cost_label") String costLabel,
        @JsonProperty("parameter_controls") JsonNode parameterControls) {

    /** The most calls to other Poe bots Poe allows one message. */
    public static final int MAX_CALLS_PER_MESSAGE = 100;

    /** Selects Poe's current table of defaults for the keys left out. */
    public static final int RESPONSE_VERSION = 2;

    /** Writes map keys sorted, so that the same settings are always the same bytes. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();
    /** Poe's names for the parameter controls' fields: parameter_name, default_value, min_value, ... */
    private static final ObjectMapper SNAKE_CASE = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .serializationInclusion(JsonInclude.Include.NON_NULL).build();

    /**
     * The bot's settings; a bot allows attachments unless poe.allowAttachments says no.
     *
     * @param providers the bot's namespace's providers by name, from which the Poe bots it calls are derived
     */
    public static PoeBotSettings of(LLMBotSpec bot, Function<String, Optional<LLMProviderSpec>> providers) {
        PoeSettings settings = bot.getPoe() == null ? new PoeSettings() : bot.getPoe();
        return new PoeBotSettings(RESPONSE_VERSION, dependencies(bot, providers),
                !Boolean.FALSE.equals(settings.getAllowAttachments()), settings.getIntroductionMessage(),
                settings.getExpandTextAttachments(), settings.getEnableImageComprehension(),
                settings.getEnforceAuthorRoleAlternation(), settings.getEnableMultiEntityPrompting(),
                rateCard(settings, bot.getPricing()), costLabel(settings, bot.getPricing()),
                parameterControls(settings.getParameterControls()));
    }

    /** spec.poe.rateCard, or the one spec.pricing makes. */
    private static String rateCard(PoeSettings settings, Pricing pricing) {
        return settings.getRateCard() != null || pricing == null ? settings.getRateCard() : pricing.rateCard();
    }

    /** spec.poe.costLabel, or the one spec.pricing makes. */
    private static String costLabel(PoeSettings settings, Pricing pricing) {
        return settings.getCostLabel() != null || pricing == null ? settings.getCostLabel() : pricing.costLabel();
    }

    /**
     * The Poe bots a message may call, each with the most calls one message can make to it: every target whose
     * provider speaks protocol poe, tried once and then up to its provider's maxRetries more times (the primary also
     * as any model a user may pick in spec.parameters), added up where targets name the same bot. What spec.poe
     * declares is kept where it allows more.
     */
    private static Map<String, Integer> dependencies(LLMBotSpec bot,
                                                     Function<String, Optional<LLMProviderSpec>> providers) {
        Map<String, Integer> calls = new TreeMap<>();
        List<ProviderTarget> targets = bot.targets();
        for (int index = 0; index < targets.size(); index++) {
            ProviderTarget target = targets.get(index);
            Optional<LLMProviderSpec> provider = providers.apply(target.providerName())
                    .filter(spec -> spec.effectiveProtocol() == LLMProviderSpec.Protocol.POE);
            if (provider.isEmpty()) {
                continue;
            }
            int perTarget = 1 + provider.get().effectiveMaxRetries();
            Set<String> bots = new TreeSet<>();
            Optional.ofNullable(provider.get().modelFor(target.model())).ifPresent(bots::add);
            if (index == 0) {
                bots.addAll(bot.parameterModels());
            }
            bots.forEach(poeBot -> calls.merge(poeBot, perTarget, Integer::sum));
        }
        PoeSettings poe = bot.getPoe();
        if (poe != null && poe.getServerBotDependencies() != null) {
            poe.getServerBotDependencies().forEach((poeBot, declared) -> calls.merge(poeBot, declared, Math::max));
        }
        return Collections.unmodifiableMap(calls);
    }

    /**
     * The controls in Poe's format: {@code {"api_version": "2", "sections": [...]}}, Poe's field names. The values
     * the API server cannot type-check are made what Poe takes: a default of the wrong type for its control is left
     * out, an operand is its parameter when it names one and a scalar literal otherwise.
     */
    private static JsonNode parameterControls(ParameterControls controls) {
        if (controls == null) {
            return null;
        }
        ObjectNode poe = SNAKE_CASE.createObjectNode().put("api_version", ParameterControls.API_VERSION);
        ArrayNode sections = SNAKE_CASE.valueToTree(controls.getSections());
        sections.forEach(section -> {
            section.path("controls").forEach(PoeBotSettings::typed);
            section.path("tabs").forEach(tab -> tab.path("controls").forEach(PoeBotSettings::typed));
        });
        poe.set("sections", sections);
        return poe;
    }

    private static void typed(JsonNode control) {
        ObjectNode fields = (ObjectNode) control;
        JsonNode given = fields.get("default_value");
        if (given != null) {
            JsonNode typed = ParameterValues.defaultFor(fields.path("control").asText(), given);
            if (typed == null) {
                fields.remove("default_value");
            } else {
                fields.set("default_value", typed);
            }
        }
        if (fields.has("condition")) {
            operand((ObjectNode) fields.path("condition").path("left"));
            operand((ObjectNode) fields.path("condition").path("right"));
            fields.path("controls").forEach(PoeBotSettings::typed);
        }
    }

    private static void operand(ObjectNode operand) {
        if (operand.hasNonNull("parameter_name")) {
            operand.remove("literal");
        } else {
            operand.set("literal", ParameterValues.literal(operand.get("literal")));
        }
    }

    /**
     * Why Poe would refuse these dependencies, if it would: together they allow more calls per message than Poe does.
     * The derived ones alone never do (9 targets of at most 11 calls each).
     */
    public Optional<String> callLimitExceeded() {
        int calls = serverBotDependencies == null ? 0
                : serverBotDependencies.values().stream().mapToInt(Integer::intValue).sum();
        return calls <= MAX_CALLS_PER_MESSAGE ? Optional.empty() : Optional.of("server_bot_dependencies add up to "
                + calls + " calls per message (the Poe bots the providers call, with their retries, and "
                + "spec.poe.serverBotDependencies); Poe allows " + MAX_CALLS_PER_MESSAGE + ": declare fewer");
    }

    /** The settings as the JSON Poe receives. */
    public String json() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first 16 hex digits of the SHA-256 of {@link #json()}: which settings were synced to Poe. */
    public String hash() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(json().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }
}
