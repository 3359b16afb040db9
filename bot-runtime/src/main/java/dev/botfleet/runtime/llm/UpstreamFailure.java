package dev.botfleet.runtime.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.botfleet.api.ProviderTarget;
import dev.botfleet.runtime.poe.UserError;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.timeout.ReadTimeoutException;
import org.springframework.core.codec.CodecException;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.UnsupportedMediaTypeException;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import org.springframework.web.reactive.function.client.WebClientResponseException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * Why one attempt failed, in words a bot owner can act on and never with a key in them (for the log), whether
 * trying again may help, and what the Poe user is told of it ({@link #userError()}).
 */
public final class UpstreamFailure extends RuntimeException {

    private static final int MAX_UPSTREAM_MESSAGE = 300;
    private static final ObjectReader ERROR_READER = JsonMapper.builder().build().reader();

    /** What went wrong, as counted in {@code botfleet_upstream_errors_total{reason}}. */
    public enum Kind {
        /** The provider answered with an HTTP error status; the tag carries the status. */
        HTTP,
        /** The bot's configuration cannot reach the provider: no such LLMProvider, no key, model not allowed. */
        CONFIGURATION,
        CONNECTION,
        TIMEOUT,
        TLS,
        /** The stream was not OpenAI wire format, or carried an event larger than the runtime accepts. */
        PROTOCOL,
        /** The provider answered 200 and then streamed an error object. */
        STREAM_ERROR,
        /** The stream ended without a {@code finish_reason}. */
        TRUNCATED,
        /** The provider finished without a word. */
        EMPTY,
        UNEXPECTED;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Kind kind;
    private final int status;
    private final boolean retryable;
    private final Duration retryAfter;

    UpstreamFailure(Kind kind, String message, boolean retryable) {
        this(kind, 0, message, retryable, null);
    }

    private UpstreamFailure(Kind kind, int status, String message, boolean retryable, Duration retryAfter) {
        super(message, null, false, false);
        this.kind = kind;
        this.status = status;
        this.retryable = retryable;
        this.retryAfter = retryAfter;
    }

    static UpstreamFailure configuration(String message) {
        return new UpstreamFailure(Kind.CONFIGURATION, message, false);
    }

    /** The provider answered 200 and then streamed an {@code error} object instead of a chunk. */
    static UpstreamFailure reportedInStream(ProviderTarget target, JsonNode error) {
        String message = error.path("message").isTextual() ? error.path("message").asText()
                : error.isTextual() ? error.asText() : error.toString();
        return new UpstreamFailure(Kind.STREAM_ERROR, target + ": the provider reported an error mid-stream: "
                + shorten(message), true);
    }

    /** A Poe bot answered with an {@code error} event: trying again may help when it allows a retry. */
    static UpstreamFailure reportedByPoeBot(ProviderTarget target, dev.botfleet.handler.poe.PoeEvent.Error error) {
        return new UpstreamFailure(Kind.STREAM_ERROR, target + ": the Poe bot reported an error"
                + (error.errorType() == null ? "" : " (" + error.errorType() + ")") + ": "
                + shorten(String.valueOf(error.text())), error.allowRetry());
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
            return new UpstreamFailure(Kind.TIMEOUT, target + ": no answer within the provider's timeout", true);
        }
        if (hasCause(error, SSLException.class)) {
            // A certificate the runtime does not trust will not be trusted on a retry either.
            return new UpstreamFailure(Kind.TLS, target + ": TLS handshake with the provider failed ("
                    + rootMessage(error) + ")", false);
        }
        if (hasCause(error, DataBufferLimitException.class)) {
            return new UpstreamFailure(Kind.PROTOCOL, target + ": the provider sent an event larger than the runtime "
                    + "accepts", false);
        }
        if (hasCause(error, JsonProcessingException.class) || error instanceof CodecException
                || error instanceof UnsupportedMediaTypeException) {
            return new UpstreamFailure(Kind.PROTOCOL, target + ": the provider sent a malformed stream", true);
        }
        if (brokeHttp2(error)) {
            return new UpstreamFailure(Kind.PROTOCOL, target + ": HTTP/2 with the provider failed ("
                    + rootMessage(error) + "); a provider that does not speak HTTP/2 needs httpVersion auto or http1",
                    false);
        }
        if (error instanceof WebClientRequestException || hasCause(error, IOException.class)) {
            return new UpstreamFailure(Kind.CONNECTION, target + ": cannot reach the provider ("
                    + rootMessage(error) + ")", true);
        }
        return new UpstreamFailure(Kind.UNEXPECTED, target + ": request failed (" + error.getClass().getSimpleName()
                + ")", true);
    }

    private static UpstreamFailure fromStatus(WebClientResponseException e, ProviderTarget target) {
        int status = e.getStatusCode().value();
        String prefix = target + ": HTTP " + status + " ";
        return switch (status) {
            case 401 -> httpError(status, prefix + "(the provider rejected the API key; check the "
                    + "provider's apiKeySecretRef)", false, null);
            case 403 -> httpError(status, prefix + "(the API key may not use this model or endpoint)", false, null);
            case 400, 404, 422 -> httpError(status, prefix + upstreamMessage(e), false, null);
            case 408, 409, 429 -> httpError(status, prefix + upstreamMessage(e), true, retryAfter(e));
            default -> httpError(status, prefix + upstreamMessage(e), status >= 500, retryAfter(e));
        };
    }

    private static UpstreamFailure httpError(int status, String message, boolean retryable, Duration retryAfter) {
        return new UpstreamFailure(Kind.HTTP, status, message, retryable, retryAfter);
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
        return cause(error, type).isPresent();
    }

    private static <T extends Throwable> Optional<T> cause(Throwable error, Class<T> type) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return Optional.of(type.cast(cause));
            }
        }
        return Optional.empty();
    }

    /** A connection (not a single stream) that broke HTTP/2's rules: the server does not speak HTTP/2. */
    private static boolean brokeHttp2(Throwable error) {
        return cause(error, Http2Exception.class).filter(http2 -> http2.error() == Http2Error.PROTOCOL_ERROR
                && !(http2 instanceof Http2Exception.StreamException)).isPresent();
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
        return kind == Kind.HTTP ? "http_" + status : kind.tag();
    }

    public boolean retryable() {
        return retryable;
    }

    /** What the Poe user is told when this failure ends the answer. */
    public UserError userError() {
        if (kind == Kind.EMPTY) {
            return UserError.EMPTY_ANSWER;
        }
        if (retryable) {
            return status == 429 ? UserError.PROVIDER_BUSY : UserError.PROVIDER_UNAVAILABLE;
        }
        // A provider refusing the request itself (too long for the model, filtered), not the bot's configuration.
        return status == 400 || status == 422 ? UserError.PROVIDER_REFUSED : UserError.BOT_UNAVAILABLE;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
