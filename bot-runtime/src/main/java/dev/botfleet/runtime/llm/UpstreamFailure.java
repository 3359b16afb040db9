package dev.botfleet.runtime.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.botfleet.api.ProviderTarget;
import io.netty.handler.timeout.ReadTimeoutException;
import org.springframework.core.codec.CodecException;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.UnsupportedMediaTypeException;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import org.springframework.web.reactive.function.client.WebClientResponseException;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Why one attempt failed, in words a bot owner can act on and never with a key in them, and whether trying again
 * may help.
 */
public final class UpstreamFailure extends RuntimeException {

    private static final int MAX_UPSTREAM_MESSAGE = 300;
    private static final ObjectReader ERROR_READER = JsonMapper.builder().build().reader();

    private final String reason;
    private final boolean retryable;
    private final Duration retryAfter;

    UpstreamFailure(String reason, String message, boolean retryable, Duration retryAfter) {
        super(message, null, false, false);
        this.reason = reason;
        this.retryable = retryable;
        this.retryAfter = retryAfter;
    }

    static UpstreamFailure configuration(String message) {
        return new UpstreamFailure("configuration", message, false, null);
    }

    /** The provider answered 200 and then streamed an {@code error} object instead of a chunk. */
    static UpstreamFailure reportedInStream(ProviderTarget target, JsonNode error) {
        String message = error.path("message").isTextual() ? error.path("message").asText()
                : error.isTextual() ? error.asText() : error.toString();
        return new UpstreamFailure("stream_error", target + ": the provider reported an error mid-stream: "
                + shorten(message), true, null);
    }

    static UpstreamFailure of(Throwable thrown, ProviderTarget target) {
        Throwable error = thrown;
        while ((error instanceof CompletionException || error instanceof ExecutionException)
                && error.getCause() != null) {
            error = error.getCause();
        }
        if (error instanceof UpstreamFailure failure) {
            return failure;
        }
        if (error instanceof WebClientResponseException response) {
            return fromStatus(response, target);
        }
        if (error instanceof TimeoutException || hasCause(error, ReadTimeoutException.class)) {
            return new UpstreamFailure("timeout", target + ": no answer within the provider's timeout", true, null);
        }
        if (hasCause(error, SSLException.class)) {
            // A certificate the runtime does not trust will not be trusted on a retry either.
            return new UpstreamFailure("tls", target + ": TLS handshake with the provider failed ("
                    + rootMessage(error) + ")", false, null);
        }
        if (hasCause(error, DataBufferLimitException.class)) {
            return new UpstreamFailure("protocol", target + ": the provider sent an event larger than the runtime "
                    + "accepts", false, null);
        }
        if (hasCause(error, JsonProcessingException.class) || error instanceof CodecException
                || error instanceof UnsupportedMediaTypeException) {
            return new UpstreamFailure("protocol", target + ": the provider sent a malformed stream", true, null);
        }
        if (error instanceof WebClientRequestException || hasCause(error, IOException.class)) {
            return new UpstreamFailure("connection", target + ": cannot reach the provider ("
                    + rootMessage(error) + ")", true, null);
        }
        return new UpstreamFailure("unexpected", target + ": request failed (" + error.getClass().getSimpleName()
                + ")", true, null);
    }

    private static UpstreamFailure fromStatus(WebClientResponseException e, ProviderTarget target) {
        int status = e.getStatusCode().value();
        String reason = "http_" + status;
        String prefix = target + ": HTTP " + status + " ";
        return switch (status) {
            case 401 -> new UpstreamFailure(reason, prefix + "(the provider rejected the API key; check the "
                    + "provider's apiKeySecretRef)", false, null);
            case 403 -> new UpstreamFailure(reason, prefix + "(the API key may not use this model or endpoint)",
                    false, null);
            case 400, 404, 422 -> new UpstreamFailure(reason, prefix + upstreamMessage(e), false, null);
            case 408, 409, 429 -> new UpstreamFailure(reason, prefix + upstreamMessage(e), true, retryAfter(e));
            default -> new UpstreamFailure(reason, prefix + upstreamMessage(e), status >= 500, retryAfter(e));
        };
    }

    /** The provider's own explanation (model not found, context too long), shortened. */
    private static String upstreamMessage(WebClientResponseException e) {
        String body = e.getResponseBodyAsString(StandardCharsets.UTF_8).strip();
        try {
            JsonNode error = ERROR_READER.readTree(body);
            JsonNode message = error.path("error").path("message");
            if (message.isTextual()) {
                return shorten(message.asText());
            }
        } catch (JsonProcessingException | RuntimeException notJson) {
            // Not an OpenAI-style error body; the text itself is the explanation.
        }
        return body.isEmpty() ? "(" + e.getStatusText() + ")" : shorten(body);
    }

    private static String shorten(String message) {
        return message.length() > MAX_UPSTREAM_MESSAGE ? message.substring(0, MAX_UPSTREAM_MESSAGE) + "…" : message;
    }

    private static Duration retryAfter(WebClientResponseException e) {
        String value = e.getHeaders().getFirst(HttpHeaders.RETRY_AFTER);
        if (value == null) {
            return null;
        }
        value = value.strip();
        try {
            return Duration.ofMillis((long) (Double.parseDouble(value) * 1000));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration until = Duration.between(ZonedDateTime.now(),
                        ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME));
                return until.isNegative() ? Duration.ZERO : until;
            } catch (RuntimeException notADate) {
                return null;
            }
        }
    }

    private static boolean hasCause(Throwable error, Class<? extends Throwable> type) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }

    /** A short machine-readable reason, used as a metric tag: http_429, timeout, connection, … */
    public String reason() {
        return reason;
    }

    public boolean retryable() {
        return retryable;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
