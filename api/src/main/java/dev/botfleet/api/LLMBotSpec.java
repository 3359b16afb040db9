package dev.botfleet.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** Desired state of an LLMBot: one Poe server bot answering from an LLMProvider. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value = "has(self.providerRef) || (has(self.handler) && self.handler != 'llm')",
        message = "providerRef is required unless spec.handler names a handler that needs no provider",
        fieldPath = ".providerRef",
        reason = "FieldValueRequired")
@ValidationRule(
        value = "!has(self.fallbacks) || !has(self.providerRef) || self.fallbacks.all(f, f.providerRef.name != self.providerRef.name"
                + " || (has(f.model) ? f.model : '') != (has(self.model) ? self.model : ''))",
        message = "a fallback must differ from the primary providerRef and model",
        fieldPath = ".fallbacks",
        reason = "FieldValueDuplicate")
@ValidationRule(
        value = "!has(self.fallbacks) || self.fallbacks.all(f, self.fallbacks.exists_one(g,"
                + " g.providerRef.name == f.providerRef.name"
                + " && (has(g.model) ? g.model : '') == (has(f.model) ? f.model : '')))",
        message = "fallbacks must not repeat the same providerRef and model",
        fieldPath = ".fallbacks",
        reason = "FieldValueDuplicate")
@ValidationRule(
        value = "!has(self.parameters) || (has(self.poe) && has(self.poe.parameterControls))",
        message = "parameters are set by parameter controls: spec.poe.parameterControls is required",
        fieldPath = ".poe.parameterControls",
        reason = "FieldValueRequired")
@ValidationRule(
        value = "!has(self.images) || !has(self.poe) || !has(self.poe.allowAttachments) || self.poe.allowAttachments",
        message = "images need attachments: poe.allowAttachments must not be false when images is set",
        fieldPath = ".poe.allowAttachments",
        reason = "FieldValueInvalid")
@ValidationRule(
        value = "!has(self.pricing) || has(self.accessKeySecretRef)",
        message = "a priced bot charges through Poe's cost API with its access key: accessKeySecretRef is required",
        fieldPath = ".accessKeySecretRef",
        reason = "FieldValueRequired")
@ValidationRule(
        value = "!has(self.pricing) || !has(self.pricing.perMillionOutputTokens) || has(self.maxTokens)",
        message = "output tokens are priced: maxTokens is required, as it bounds what is authorized before the "
                + "model is asked",
        fieldPath = ".maxTokens",
        reason = "FieldValueRequired")
public class LLMBotSpec {

    public static final String DEFAULT_RUNTIME = "default";
    /** Streams from the bot's provider: the default handler. */
    public static final String LLM_HANDLER = "llm";
    /** Repeats the user's message; needs no provider. */
    public static final String ECHO_HANDLER = "echo";
    /** The handlers every bot-runtime image has; others come with a custom image. */
    public static final List<String> BUILT_IN_HANDLERS = List.of(ECHO_HANDLER, LLM_HANDLER);

    @JsonPropertyDescription("LLMProvider that answers this bot, in the same namespace. Required for the llm "
            + "handler.")
    private ProviderRef providerRef;

    @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
    @Size(min = 1, max = 63)
    @JsonPropertyDescription("Code that answers the bot: llm (default) streams from providerRef; echo repeats the "
            + "user's message (a smoke test that needs no provider); any other name is a handler packaged into a "
            + "custom runtime image.")
    private String handler;

    @PreserveUnknownFields
    @JsonPropertyDescription("Free-form settings passed to the handler; their meaning is the handler's.")
    private JsonNode handlerSettings;

    @Size(min = 1, max = 256)
    @JsonPropertyDescription("Model to ask the provider for. Default: the provider's defaultModel. Must be in the "
            + "provider's models when that list is set.")
    private String model;

    @Size(max = 100000)
    @JsonPropertyDescription("Instructions sent to the model as the first (system) message of every conversation.")
    private String systemPrompt;

    @Min(0)
    @Max(2)
    @JsonPropertyDescription("Sampling temperature, 0 to 2: lower is more deterministic. Default: the provider's.")
    private Double temperature;

    @JsonPropertyDescription("Whether a temperature sent by Poe with the query overrides spec.temperature. "
            + "Default false.")
    private Boolean allowRequestTemperature;

    @Min(1)
    @JsonPropertyDescription("Upper bound on tokens generated per answer, 1 or more. Default: the provider's.")
    private Integer maxTokens;

    @Size(max = 1000)
    @JsonPropertyDescription("A short description of the bot, listed by the runtime's GET /bots.")
    private String description;

    @JsonPropertyDescription("Secret key holding the bot's Poe access key; Poe's calls must carry it as "
            + "'Authorization: Bearer <key>'. Without it the bot accepts every caller.")
    private SecretKeyRef accessKeySecretRef;

    @JsonPropertyDescription("What the bot announces to Poe in its settings response and answers.")
    private PoeSettings poe;

    @JsonPropertyDescription("What the bot answers to the message '/botinfo'.")
    private BotInfo botInfo;

    @JsonPropertyDescription("Pass the images users attach (jpeg, png, gif, webp) to the model as image parts of "
            + "their message, for vision models. Without it images are not sent (their text description is, when "
            + "Poe provides one). Turns on allowAttachments in the settings Poe reads, unless poe.allowAttachments "
            + "says otherwise.")
    private ImageInput images;

    @Min(16)
    @Max(10000000)
    @JsonPropertyDescription("Most tokens the bot sends its provider as input: the oldest turns of a long Poe "
            + "conversation are left out to fit, never the system prompt or the message being answered. Counted "
            + "with OpenAI's encodings; models of unknown encoding are estimated with cl100k_base plus a quarter. A "
            + "message that does not fit even alone is answered with an error naming the budget. Default: no "
            + "budget, every turn is sent.")
    private Integer maxInputTokens;

    @JsonPropertyDescription("Limits that protect the provider bill: queries per minute and answers at once per Poe "
            + "user, answers at once for the whole bot. Kept by each runtime replica on its own; a query over a "
            + "limit gets a Poe error at once and never reaches the provider.")
    private BotLimits limits;

    @JsonPropertyDescription("Which of the values users choose in spec.poe.parameterControls change the request to "
            + "the provider (model, temperature, maxTokens, reasoningEffort), within bounds; anything else in a "
            + "message's parameters is ignored.")
    private BotParameters parameters;

    @JsonPropertyDescription("What a Poe user pays per answer, charged through Poe's cost API: the most the "
            + "answer can cost is authorized before the provider is asked, the cost of what it used captured after. "
            + "Also makes the rate card and cost label Poe shows, unless spec.poe sets them.")
    private Pricing pricing;

    @JsonPropertyDescription("Tokens and money the bot may spend per UTC day (for the whole bot and per Poe user) "
            + "and tokens per minute, counted from the providers' usage; a query once a budget is spent is refused "
            + "before the provider is asked, with a text that says when the budget resets. Kept by each runtime "
            + "replica on its own.")
    private BotBudgets budgets;

    @Size(max = 8)
    @JsonPropertyDescription("Providers and models tried in order when the primary fails before the first token "
            + "(after its retries). At most 8, none repeating the primary or each other.")
    private List<Fallback> fallbacks;

    @Default(DEFAULT_RUNTIME)
    @Pattern(Validation.RUNTIME_GROUP)
    @Size(min = 1, max = Validation.RUNTIME_GROUP_MAX_LENGTH)
    @JsonPropertyDescription("Runtime group: bots of one namespace with the same group share a Deployment, "
            + "Service and ConfigMap named botfleet-<group>. Lower-case letters, digits and '-', starting with a "
            + "letter, at most 54 characters. Default 'default'.")
    private String runtime;

    public ProviderRef getProviderRef() {
        return providerRef;
    }

    public void setProviderRef(ProviderRef providerRef) {
        this.providerRef = providerRef;
    }

    public String getHandler() {
        return handler;
    }

    public void setHandler(String handler) {
        this.handler = handler;
    }

    public JsonNode getHandlerSettings() {
        return handlerSettings;
    }

    public void setHandlerSettings(JsonNode handlerSettings) {
        this.handlerSettings = handlerSettings;
    }

    public String getModel() {
        return model;
    }

    public void setModel(String model) {
        this.model = model;
    }

    public String getSystemPrompt() {
        return systemPrompt;
    }

    public void setSystemPrompt(String systemPrompt) {
        this.systemPrompt = systemPrompt;
    }

    public Double getTemperature() {
        return temperature;
    }

    public void setTemperature(Double temperature) {
        this.temperature = temperature;
    }

    public Boolean getAllowRequestTemperature() {
        return allowRequestTemperature;
    }

    public void setAllowRequestTemperature(Boolean allowRequestTemperature) {
        this.allowRequestTemperature = allowRequestTemperature;
    }

    public Integer getMaxTokens() {
        return maxTokens;
    }

    public void setMaxTokens(Integer maxTokens) {
        this.maxTokens = maxTokens;
    }

    public String getDescription() {
        return description;
    }

    public void setDescription(String description) {
        this.description = description;
    }

    public SecretKeyRef getAccessKeySecretRef() {
        return accessKeySecretRef;
    }

    public void setAccessKeySecretRef(SecretKeyRef accessKeySecretRef) {
        this.accessKeySecretRef = accessKeySecretRef;
    }

    public PoeSettings getPoe() {
        return poe;
    }

    public void setPoe(PoeSettings poe) {
        this.poe = poe;
    }

    public BotInfo getBotInfo() {
        return botInfo;
    }

    public void setBotInfo(BotInfo botInfo) {
        this.botInfo = botInfo;
    }

    public ImageInput getImages() {
        return images;
    }

    public void setImages(ImageInput images) {
        this.images = images;
    }

    public Integer getMaxInputTokens() {
        return maxInputTokens;
    }

    public void setMaxInputTokens(Integer maxInputTokens) {
        this.maxInputTokens = maxInputTokens;
    }

    public BotLimits getLimits() {
        return limits;
    }

    public void setLimits(BotLimits limits) {
        this.limits = limits;
    }

    public BotParameters getParameters() {
        return parameters;
    }

    /** The models a user may pick for the primary provider in the parameter controls; empty when there are none. */
    public List<String> parameterModels() {
        return parameters == null || parameters.getModel() == null || parameters.getModel().getModels() == null
                ? List.of() : parameters.getModel().getModels();
    }

    public void setParameters(BotParameters parameters) {
        this.parameters = parameters;
    }

    public BotBudgets getBudgets() {
        return budgets;
    }

    public void setBudgets(BotBudgets budgets) {
        this.budgets = budgets;
    }

    public Pricing getPricing() {
        return pricing;
    }

    public void setPricing(Pricing pricing) {
        this.pricing = pricing;
    }

    public List<Fallback> getFallbacks() {
        return fallbacks;
    }

    public void setFallbacks(List<Fallback> fallbacks) {
        this.fallbacks = fallbacks;
    }

    public String getRuntime() {
        return runtime;
    }

    public void setRuntime(String runtime) {
        this.runtime = runtime;
    }

    /** The handler with its default applied. */
    public String effectiveHandler() {
        return handler == null ? LLM_HANDLER : handler;
    }

    /** The providers this bot asks, in the order they are tried: its providerRef, then each fallback. */
    public List<ProviderTarget> targets() {
        List<ProviderTarget> targets = new ArrayList<>();
        if (providerRef != null) {
            targets.add(new ProviderTarget(providerRef.getName(), model));
        }
        if (fallbacks != null) {
            fallbacks.forEach(fallback -> targets.add(new ProviderTarget(fallback.getProviderRef().getName(),
                    fallback.getModel())));
        }
        return targets;
    }

    /**
     * Why this bot cannot call the Poe bots one of its providers serves, if it cannot: they are called with the bot's
     * own access key, and it has none.
     *
     * @param providers the bot's namespace's providers by name
     */
    public Optional<String> missingAccessKey(Function<String, Optional<LLMProviderSpec>> providers) {
        if (accessKeySecretRef != null) {
            return Optional.empty();
        }
        return targets().stream().map(ProviderTarget::providerName).distinct()
                .filter(name -> providers.apply(name)
                        .filter(spec -> spec.effectiveProtocol() == LLMProviderSpec.Protocol.POE).isPresent())
                .findFirst()
                .map(LLMBotSpec::accessKeyRequired);
    }

    /** What a bot without an access key is told when provider {@code providerName} serves Poe bots. */
    public static String accessKeyRequired(String providerName) {
        return "LLMProvider '" + providerName + "' calls Poe bots with the calling bot's own access key, and this bot "
                + "has none: set spec.accessKeySecretRef to the Secret with its Poe access key";
    }

    /** The runtime group with its default applied (manifests read outside a cluster are not defaulted). */
    public String effectiveRuntime() {
        return runtime == null ? DEFAULT_RUNTIME : runtime;
    }
}
