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
import java.util.LinkedHashMap;
import java.util.Map;

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

    /** Selects Poe's current table of defaults for the keys left out. */
    public static final int RESPONSE_VERSION = 2;

    /** Writes map keys sorted, so that the same settings are always the same bytes. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();
    /** Poe's names for the parameter controls' fields: parameter_name, default_value, min_value, ... */
    private static final ObjectMapper SNAKE_CASE = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .serializationInclusion(JsonInclude.Include.NON_NULL).build();

    /** The bot's settings; a bot allows attachments unless poe.allowAttachments says no. */
    public static PoeBotSettings of(LLMBotSpec bot) {
        PoeSettings settings = bot.getPoe() == null ? new PoeSettings() : bot.getPoe();
        Map<String, Integer> dependencies = settings.getServerBotDependencies();
        return new PoeBotSettings(RESPONSE_VERSION, dependencies == null ? Map.of()
                        : Collections.unmodifiableMap(new LinkedHashMap<>(dependencies)),
                !Boolean.FALSE.equals(settings.getAllowAttachments()), settings.getIntroductionMessage(),
                settings.getExpandTextAttachments(), settings.getEnableImageComprehension(),
                settings.getEnforceAuthorRoleAlternation(), settings.getEnableMultiEntityPrompting(),
                settings.getRateCard(), settings.getCostLabel(), parameterControls(settings.getParameterControls()));
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
