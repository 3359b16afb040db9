package dev.botfleet.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

import java.time.Duration;
import java.util.List;

/** How a bot passes the images users attach in Poe to a vision model. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ImageInput {

    /** The image types OpenAI's vision models accept. */
    public static final List<String> CONTENT_TYPES = List.of("image/jpeg", "image/png", "image/gif", "image/webp");
    public static final int DEFAULT_MAX_BYTES = 5 * 1024 * 1024;
    public static final Duration DEFAULT_FETCH_TIMEOUT = Duration.ofSeconds(10);

    /** How an image reaches the provider. */
    public enum Delivery {
        /** Poe's URL of the attachment, for providers that fetch images themselves (OpenAI does). */
        @JsonProperty("url") URL,
        /** The image fetched by the runtime and sent as a base64 {@code data:} URL. */
        @JsonProperty("inline") INLINE
    }

    @Required
    @JsonPropertyDescription("url: the provider fetches the image from Poe's URL (OpenAI does); inline: the runtime "
            + "fetches it and sends it as a base64 data: URL, for providers that cannot reach Poe's URLs.")
    private Delivery delivery;

    @Min(1024)
    @Max(20971520)
    @JsonPropertyDescription("inline only: largest image fetched, in bytes. Default 5 MiB.")
    private Integer maxBytes;

    @Pattern(Validation.DURATION)
    @Size(max = 32)
    @JsonPropertyDescription("inline only: longest wait for one image, as a duration such as 10s. Default 10s.")
    private String fetchTimeout;

    public int effectiveMaxBytes() {
        return maxBytes == null ? DEFAULT_MAX_BYTES : maxBytes;
    }

    public Duration effectiveFetchTimeout() {
        return fetchTimeout == null ? DEFAULT_FETCH_TIMEOUT : Durations.parse(fetchTimeout);
    }

    public Delivery getDelivery() {
        return delivery;
    }

    public void setDelivery(Delivery delivery) {
        this.delivery = delivery;
    }

    public Integer getMaxBytes() {
        return maxBytes;
    }

    public void setMaxBytes(Integer maxBytes) {
        this.maxBytes = maxBytes;
    }

    public String getFetchTimeout() {
        return fetchTimeout;
    }

    public void setFetchTimeout(String fetchTimeout) {
        this.fetchTimeout = fetchTimeout;
    }
}
