package dev.botfleet.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

import java.util.Map;

/**
 * What the bot announces to Poe: the settings response and the {@code meta} event of each answer.
 * Unset fields leave Poe's default for settings response_version 2.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PoeSettings {

    public enum ContentType {
        @com.fasterxml.jackson.annotation.JsonProperty("text/markdown") MARKDOWN,
        @com.fasterxml.jackson.annotation.JsonProperty("text/plain") PLAIN
    }

    @Pattern("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
    @JsonPropertyDescription("The bot's name on Poe (its handle, as in poe.com/<botName>). When set, the operator "
            + "pushes the bot's settings to Poe whenever they change, with the bot's access key; status condition "
            + "PoeSettingsSynced says how that went.")
    private String botName;

    @Size(max = 10000)
    @JsonPropertyDescription("Message Poe shows when a user opens a new chat with the bot (Markdown).")
    private String introductionMessage;

    @JsonPropertyDescription("Whether users may attach files. Poe's default: true.")
    private Boolean allowAttachments;

    @JsonPropertyDescription("Whether Poe extracts the text of attached text and PDF files (parsed_content), which "
            + "the bot then sends to the model. Poe's default: true.")
    private Boolean expandTextAttachments;

    @JsonPropertyDescription("Whether Poe describes attached images in text for the bot. Poe's default: false.")
    private Boolean enableImageComprehension;

    @JsonPropertyDescription("Whether Poe merges consecutive messages of the same role before calling the bot, as "
            + "some providers require. Poe's default: false.")
    private Boolean enforceAuthorRoleAlternation;

    @JsonPropertyDescription("Whether Poe combines earlier bot messages in multi-bot chats. Poe's default: true.")
    private Boolean enableMultiEntityPrompting;

    @JsonPropertyDescription("Whether Poe offers suggested follow-up replies under each answer. Default false.")
    private Boolean suggestedReplies;

    @JsonPropertyDescription("How Poe renders answers: text/markdown (default) or text/plain.")
    private ContentType contentType;

    @Size(max = 20)
    @JsonPropertyDescription("Other Poe bots this bot calls per message, by bot name; Poe enforces the declaration.")
    private Map<String, Integer> serverBotDependencies;

    @Size(max = 1000)
    @JsonPropertyDescription("Pricing text shown to users (Poe's rate_card, Markdown; [usd_milli_cents=N] shows N as "
            + "points). Default: a table made from spec.pricing.")
    private String rateCard;

    @Size(max = 200)
    @JsonPropertyDescription("Short cost label shown to users (Poe's cost_label). Default: made from spec.pricing.")
    private String costLabel;

    @JsonPropertyDescription("Controls Poe shows beside the chat input (Poe's parameter_controls, api_version 2); the "
            + "values users choose arrive with each message, and spec.parameters says which change the request.")
    private ParameterControls parameterControls;

    public String getBotName() {
        return botName;
    }

    public void setBotName(String botName) {
        this.botName = botName;
    }

    public String getIntroductionMessage() {
        return introductionMessage;
    }

    public void setIntroductionMessage(String introductionMessage) {
        this.introductionMessage = introductionMessage;
    }

    public Boolean getAllowAttachments() {
        return allowAttachments;
    }

    public void setAllowAttachments(Boolean allowAttachments) {
        this.allowAttachments = allowAttachments;
    }

    public Boolean getExpandTextAttachments() {
        return expandTextAttachments;
    }

    public void setExpandTextAttachments(Boolean expandTextAttachments) {
        this.expandTextAttachments = expandTextAttachments;
    }

    public Boolean getEnableImageComprehension() {
        return enableImageComprehension;
    }

    public void setEnableImageComprehension(Boolean enableImageComprehension) {
        this.enableImageComprehension = enableImageComprehension;
    }

    public Boolean getEnforceAuthorRoleAlternation() {
        return enforceAuthorRoleAlternation;
    }

    public void setEnforceAuthorRoleAlternation(Boolean enforceAuthorRoleAlternation) {
        this.enforceAuthorRoleAlternation = enforceAuthorRoleAlternation;
    }

    public Boolean getEnableMultiEntityPrompting() {
        return enableMultiEntityPrompting;
    }

    public void setEnableMultiEntityPrompting(Boolean enableMultiEntityPrompting) {
        this.enableMultiEntityPrompting = enableMultiEntityPrompting;
    }

    public Boolean getSuggestedReplies() {
        return suggestedReplies;
    }

    public void setSuggestedReplies(Boolean suggestedReplies) {
        this.suggestedReplies = suggestedReplies;
    }

    public ContentType getContentType() {
        return contentType;
    }

    public void setContentType(ContentType contentType) {
        this.contentType = contentType;
    }

    public Map<String, Integer> getServerBotDependencies() {
        return serverBotDependencies;
    }

    public void setServerBotDependencies(Map<String, Integer> serverBotDependencies) {
        this.serverBotDependencies = serverBotDependencies;
    }

    public String getRateCard() {
        return rateCard;
    }

    public void setRateCard(String rateCard) {
        this.rateCard = rateCard;
    }

    public String getCostLabel() {
        return costLabel;
    }

    public void setCostLabel(String costLabel) {
        this.costLabel = costLabel;
    }

    public ParameterControls getParameterControls() {
        return parameterControls;
    }

    public void setParameterControls(ParameterControls parameterControls) {
        this.parameterControls = parameterControls;
    }
}
