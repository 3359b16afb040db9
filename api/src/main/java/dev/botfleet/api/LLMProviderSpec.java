package dev.botfleet.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.botfleet.api.poe.PoeApi;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Map;

/**
 * Desired state of an LLMProvider: one OpenAI-compatible endpoint, or Poe's bot API, whose bots answer with the user's
 * own Poe points (protocol poe).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value = "has(self.baseUrl) || (has(self.protocol) && self.protocol == 'poe')",
        message = "baseUrl is required; only protocol poe has a default (Poe's bot API)",
        fieldPath = ".baseUrl",
        reason = "FieldValueRequired")
@ValidationRule(
        value = "!has(self.protocol) || self.protocol != 'poe' || !has(self.apiKeySecretRef)",
        message = "protocol poe calls Poe bots with each calling bot's own access key: apiKeySecretRef does not apply",
        fieldPath = ".apiKeySecretRef",
        reason = "FieldValueForbidden")
@ValidationRule(
        value = "!has(self.protocol) || self.protocol != 'poe' || !has(self.apiKeyHeader)",
        message = "protocol poe calls Poe bots with each calling bot's own access key: apiKeyHeader does not apply",
        fieldPath = ".apiKeyHeader",
        reason = "FieldValueForbidden")
@ValidationRule(
        value = "!has(self.protocol) || self.protocol != 'poe' || !has(self.organization)",
        message = "protocol poe calls Poe bots with each calling bot's own access key: organization does not apply",
        fieldPath = ".organization",
        reason = "FieldValueForbidden")
@ValidationRule(
        value = "!has(self.models) || size(self.models) == 0 || self.defaultModel in self.models",
        message = "defaultModel must be one of models when models is set",
        fieldPath = ".defaultModel",
        reason = "FieldValueInvalid")
@ValidationRule(
        value = "!has(self.headers) || !self.headers.exists(h, h.lowerAscii() in ['authorization',"
                + " 'proxy-authorization', 'api-key', 'x-api-key', 'x-goog-api-key', 'cookie'])",
        message = "credentials do not belong in headers (they are stored in plain text); use apiKeySecretRef "
                + "and apiKeyHeader",
        fieldPath = ".headers",
        reason = "FieldValueForbidden")
public class LLMProviderSpec {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    public static final int DEFAULT_MAX_RETRIES = 2;

    /** How the runtime talks to the provider. */
    public enum Protocol {
        /** OpenAI's chat completions: {@code <baseUrl>/chat/completions}, streamed. */
        @JsonProperty("openai") OPENAI,
        /** Poe's bot protocol: the Poe query relayed to {@code <baseUrl><model>}, the model a Poe bot's name. */
        @JsonProperty("poe") POE
    }

    @JsonPropertyDescription("openai (default): an OpenAI-compatible API. poe: Poe's bot API, where models are Poe "
            + "bots (GPT-4o, Claude-Sonnet-4, ...) called with each calling bot's own access key, so the user's Poe "
            + "points pay, as Poe documents; the bot's server_bot_dependencies are derived from it.")
    private Protocol protocol;

    /** The HTTP versions the runtime may speak to the provider. */
    public enum HttpVersion {
        /** HTTP/2 when the provider offers it during the TLS handshake (ALPN), else HTTP/1.1; HTTP/1.1 over http://. */
        @JsonProperty("auto") AUTO,
        /** HTTP/1.1 only, for servers or proxies whose HTTP/2 misbehaves. */
        @JsonProperty("http1") HTTP1,
        /** HTTP/2 only: negotiated over https://, cleartext HTTP/2 with prior knowledge (h2c) over http://. */
        @JsonProperty("http2") HTTP2
    }

    @Pattern(Validation.HTTP_URL)
    @Size(max = 2048)
    @JsonPropertyDescription("Base URL of the OpenAI-compatible API, up to but excluding /chat/completions, "
            + "for example https://api.openai.com/v1. Must start with http:// or https://. Required, except for "
            + "protocol poe, where it defaults to https://api.poe.com/bot/ (the bot's name follows it).")
    private String baseUrl;

    @JsonPropertyDescription("Secret key holding the API key, sent as 'Authorization: Bearer <key>'. "
            + "Omit it for local servers (Ollama, vLLM) that need no key.")
    private SecretKeyRef apiKeySecretRef;

    @Pattern(Validation.HTTP_HEADER_NAME)
    @Size(min = 1, max = 64)
    @JsonPropertyDescription("HTTP header that carries the API key. Default Authorization, with the key sent as "
            + "'Bearer <key>'; any other header, such as Azure OpenAI's api-key, carries the bare key.")
    private String apiKeyHeader;

    @Required
    @Size(min = 1, max = 256)
    @JsonPropertyDescription("Model used by bots that do not name one, for example gpt-4o-mini. Must not be empty.")
    private String defaultModel;

    @Size(max = 256)
    @JsonPropertyDescription("Allow-list of models that bots may use with this provider. Empty or absent allows any "
            + "model. When set, defaultModel must be in it.")
    private List<@Size(min = 1, max = 256) String> models;

    @Pattern(Validation.DURATION)
    @Size(max = 32)
    @JsonPropertyDescription("Longest wait for the provider's response and then between the bytes it streams "
            + "(keep-alive comments count), as a duration such as 30s, 2m or 1m30s. Default 60s.")
    private String timeout;

    @Size(max = 256)
    @JsonPropertyDescription("OpenAI organization id, sent as the OpenAI-Organization header.")
    private String organization;

    @Size(max = 32)
    @JsonPropertyDescription("Extra non-secret HTTP headers sent with every request, for example "
            + "anthropic-version. Credentials are refused here: use apiKeySecretRef.")
    private Map<String, String> headers;

    @Size(max = 1000)
    @JsonPropertyDescription("What the provider charges, by model (as sent, e.g. gpt-4o-mini): perMillionInputTokens "
            + "and perMillionOutputTokens in usd_milli_cents (1000 = one US cent). The usd_milli_cents budgets of the "
            + "bots it serves count their answers at these prices; models not listed count at the bot's spec.pricing.")
    private Map<String, ModelPrice> prices;

    @Size(max = 32)
    @JsonPropertyDescription("Extra query parameters added to every request URL, for example Azure OpenAI's "
            + "api-version.")
    private Map<String, String> queryParams;

    @Min(0)
    @Max(10)
    @JsonPropertyDescription("How often a failed request (408, 429, 5xx, timeout, connection failure) is retried "
            + "with backoff before the first token, 0 to 10. Default 2.")
    private Integer maxRetries;

    @JsonPropertyDescription("HTTP version spoken to the provider. auto (default): HTTP/2 where the provider offers "
            + "it over https:// (OpenAI does), so many answers share one connection, else HTTP/1.1; HTTP/1.1 over "
            + "http://. http1: HTTP/1.1 only, for servers whose HTTP/2 misbehaves. http2: HTTP/2 only; over http:// "
            + "cleartext HTTP/2 with prior knowledge (h2c), for servers and gateways that speak it.")
    private HttpVersion httpVersion;

    public String getBaseUrl() {
        return baseUrl;
    }

    /** The base URL, Poe's bot API by default for protocol poe. */
    public String effectiveBaseUrl() {
        return baseUrl == null && effectiveProtocol() == Protocol.POE ? PoeApi.DEFAULT_BASE_URL : baseUrl;
    }

    public Protocol getProtocol() {
        return protocol;
    }

    public void setProtocol(Protocol protocol) {
        this.protocol = protocol;
    }

    public Protocol effectiveProtocol() {
        return protocol == null ? Protocol.OPENAI : protocol;
    }

    public void setBaseUrl(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    public SecretKeyRef getApiKeySecretRef() {
        return apiKeySecretRef;
    }

    public void setApiKeySecretRef(SecretKeyRef apiKeySecretRef) {
        this.apiKeySecretRef = apiKeySecretRef;
    }

    public String getApiKeyHeader() {
        return apiKeyHeader;
    }

    public void setApiKeyHeader(String apiKeyHeader) {
        this.apiKeyHeader = apiKeyHeader;
    }

    public String getDefaultModel() {
        return defaultModel;
    }

    public void setDefaultModel(String defaultModel) {
        this.defaultModel = defaultModel;
    }

    public List<String> getModels() {
        return models;
    }

    public void setModels(List<String> models) {
        this.models = models;
    }

    public String getTimeout() {
        return timeout;
    }

    public void setTimeout(String timeout) {
        this.timeout = timeout;
    }

    public String getOrganization() {
        return organization;
    }

    public void setOrganization(String organization) {
        this.organization = organization;
    }

    public Map<String, ModelPrice> getPrices() {
        return prices;
    }

    public void setPrices(Map<String, ModelPrice> prices) {
        this.prices = prices;
    }

    public Map<String, String> getHeaders() {
        return headers;
    }

    public void setHeaders(Map<String, String> headers) {
        this.headers = headers;
    }

    public Map<String, String> getQueryParams() {
        return queryParams;
    }

    public void setQueryParams(Map<String, String> queryParams) {
        this.queryParams = queryParams;
    }

    public Integer getMaxRetries() {
        return maxRetries;
    }

    public void setMaxRetries(Integer maxRetries) {
        this.maxRetries = maxRetries;
    }

    public HttpVersion getHttpVersion() {
        return httpVersion;
    }

    public void setHttpVersion(HttpVersion httpVersion) {
        this.httpVersion = httpVersion;
    }

    /** The HTTP version with its default applied. */
    public HttpVersion effectiveHttpVersion() {
        return httpVersion == null ? HttpVersion.AUTO : httpVersion;
    }

    /** The timeout with its default applied. */
    public Duration effectiveTimeout() {
        return timeout == null ? DEFAULT_TIMEOUT : Durations.parse(timeout);
    }

    /** The retry count with its default applied. */
    public int effectiveMaxRetries() {
        return maxRetries == null ? DEFAULT_MAX_RETRIES : maxRetries;
    }

    /** Whether a bot may use {@code model} with this provider. */
    public boolean allowsModel(String model) {
        return models == null || models.isEmpty() || models.contains(model);
    }

    /** What this provider charges for {@code model}'s tokens, when {@code spec.prices} lists it. */
    public Optional<ModelPrice> priceOf(String model) {
        return prices == null || model == null ? Optional.empty() : Optional.ofNullable(prices.get(model));
    }

    /** The model a bot gets that asks this provider for {@code requested}, or for none (null). */
    public String modelFor(String requested) {
        return requested != null ? requested : defaultModel;
    }

    /**
     * Why {@code model} cannot be used with this provider, named {@code providerName}: the one wording the operator,
     * the runtime and the CLI give; empty when it can.
     */
    public Optional<String> modelRefusal(String providerName, String model) {
        return allowsModel(model) ? Optional.empty() : Optional.of("model '" + model + "' is not in spec.models of "
                + "LLMProvider '" + providerName + "'; pick one of " + models);
    }
}
