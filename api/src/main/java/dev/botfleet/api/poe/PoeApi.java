package dev.botfleet.api.poe;

import dev.botfleet.api.PoeBotSettings;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Poe's API for bot creators, as fastapi_poe's client calls it: {@code POST <base>update_settings/<bot name>/<access
 * key>/<protocol version>} with the settings as JSON pushes a bot's settings. The access key travels in the path, as
 * Poe asks; it never appears in what this class returns.
 */
public final class PoeApi {

    /** Where fastapi_poe's client reaches Poe's bot API. */
    public static final String DEFAULT_BASE_URL = "https://api.poe.com/bot/";
    static final String PROTOCOL_VERSION = "1.2";
    private static final int MAX_EXPLANATION = 300;

    private final String baseUrl;
    private final HttpClient http;
    private final Duration timeout;

    /**
     * @param baseUrl Poe's bot API, ending in {@code /} ({@value #DEFAULT_BASE_URL}); a fake of it in tests
     * @param timeout the longest a call may take, connection included
     */
    public PoeApi(String baseUrl, Duration timeout) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl : baseUrl + "/";
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** How one call ended. */
    public sealed interface Outcome {

        /** Poe took the settings. */
        record Synced() implements Outcome {
        }

        /** Poe answered with an error status: the key, the name or the settings were refused. */
        record Refused(int status, String explanation) implements Outcome {
        }

        /** Poe could not be reached, did not answer in time, or failed itself (5xx): trying again may help. */
        record Unreachable(String explanation) implements Outcome {
        }
    }

    /** Pushes {@code settings} for the Poe bot {@code botName}; never fails, the outcome says how it went. */
    public CompletableFuture<Outcome> updateSettings(String botName, String accessKey, PoeBotSettings settings) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "update_settings/" + segment(botName) + "/"
                        + segment(accessKey) + "/" + PROTOCOL_VERSION))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(settings.json(), StandardCharsets.UTF_8))
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .<Outcome>thenApply(response -> outcome(response, accessKey))
                .exceptionally(failure -> new Outcome.Unreachable(describe(failure, accessKey)));
    }

    private static Outcome outcome(HttpResponse<String> response, String accessKey) {
        int status = response.statusCode();
        if (status / 100 == 2) {
            return new Outcome.Synced();
        }
        String explanation = "HTTP " + status + explanation(response.body(), accessKey);
        return status >= 500 ? new Outcome.Unreachable(explanation) : new Outcome.Refused(status, explanation);
    }

    private static String explanation(String body, String accessKey) {
        String text = hide(body == null ? "" : body.strip(), accessKey);
        if (text.isEmpty()) {
            return "";
        }
        return ": " + (text.length() > MAX_EXPLANATION ? text.substring(0, MAX_EXPLANATION) + "…" : text);
    }

    private static String describe(Throwable failure, String accessKey) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof HttpTimeoutException) {
            return "no answer within the timeout";
        }
        String kind = cause instanceof IOException ? "connection failed" : "request failed";
        return kind + " (" + cause.getClass().getSimpleName()
                + (cause.getMessage() == null ? "" : ": " + hide(cause.getMessage(), accessKey)) + ")";
    }

    /** Takes the access key out of text that might quote the request's URL. */
    private static String hide(String text, String accessKey) {
        if (accessKey.isEmpty()) {
            return text;
        }
        String hidden = text.replace(accessKey, "[redacted]");
        return hidden.replace(segment(accessKey), "[redacted]");
    }

    private static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
