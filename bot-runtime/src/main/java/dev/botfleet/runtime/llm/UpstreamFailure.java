package dev.botfleet.runtime.llm;

import com.openai.errors.OpenAIInvalidDataException;
import com.openai.errors.OpenAIIoException;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.SseException;

import javax.net.ssl.SSLException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
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

    static UpstreamFailure of(Throwable thrown, Target target) {
        Throwable error = thrown;
        while ((error instanceof CompletionException || error instanceof ExecutionException) && error.getCause() != null) {
            error = error.getCause();
        }
        if (error instanceof UpstreamFailure failure) {
            return failure;
        }
        if (error instanceof OpenAIServiceException service && !(error instanceof SseException)) {
            return fromStatus(service, target);
        }
        if (error instanceof TimeoutException || hasCause(error, InterruptedIOException.class)) {
            return new UpstreamFailure("timeout", target + ": no answer within the provider's timeout", true, null);
        }
        if (hasCause(error, SSLException.class)) {
            // A certificate the runtime does not trust will not be trusted on a retry either.
            return new UpstreamFailure("tls", target + ": TLS handshake with the provider failed ("
                    + rootMessage(error) + ")", false, null);
        }
        if (error instanceof SseException || error instanceof OpenAIInvalidDataException) {
            return new UpstreamFailure("protocol", target + ": the provider sent a malformed stream", true, null);
        }
        if (error instanceof OpenAIIoException) {
            return new UpstreamFailure("connection", target + ": cannot reach the provider ("
                    + rootMessage(error) + ")", true, null);
        }
        return new UpstreamFailure("unexpected", target + ": request failed (" + error.getClass().getSimpleName()
                + ")", true, null);
    }

    private static UpstreamFailure fromStatus(OpenAIServiceException e, Target target) {
        int status = e.statusCode();
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
    private static String upstreamMessage(OpenAIServiceException e) {
        String message = String.valueOf(e.getMessage());
        return message.length() > MAX_UPSTREAM_MESSAGE ? message.substring(0, MAX_UPSTREAM_MESSAGE) + "…" : message;
    }

    private static Duration retryAfter(OpenAIServiceException e) {
        List<String> values = e.headers().values("Retry-After");
        if (values.isEmpty()) {
            return null;
        }
        String value = values.get(0).strip();
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
