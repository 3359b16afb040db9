package dev.botfleet.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/** A Poe-like caller for tests: sends protocol requests over real HTTP and reads the answers. */
public final class PoeClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public PoeClient(int port) {
        this.baseUrl = "http://127.0.0.1:" + port;
    }

    /** A minimal valid query body with one user message. */
    public static ObjectNode query(String text) {
        ObjectNode body = JSON.createObjectNode().put("version", "1.2").put("type", "query");
        body.putArray("query").addObject().put("role", "user").put("content", text);
        return body.put("user_id", "u-test").put("conversation_id", "c-test").put("message_id", "m-test");
    }

    public HttpResponse<String> post(String path, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> post(String path, ObjectNode body, String... headers) {
        return post(path, body.toString(), headers);
    }

    /** Sends a query and parses the whole event stream. */
    public List<SseEvents.Event> ask(String bot, ObjectNode body, String... headers) {
        HttpResponse<String> response = post("/bots/" + bot, body, headers);
        if (response.statusCode() != 200) {
            throw new AssertionError("HTTP " + response.statusCode() + ": " + response.body());
        }
        return SseEvents.parse(response.body());
    }

    public List<SseEvents.Event> ask(String bot, String text, String... headers) {
        return ask(bot, query(text), headers);
    }

    /** Opens a query and returns the raw body stream, to read it slowly or walk away from it. */
    public InputStream open(String bot, ObjectNode body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + "/bots/" + bot))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(request.build(), HttpResponse.BodyHandlers.ofInputStream()).body();
    }

    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> method(String method, String path) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(request, handler);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
