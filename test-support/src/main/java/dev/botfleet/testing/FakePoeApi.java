package dev.botfleet.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * Poe's API for bot creators on loopback ({@code <base>/bot/...}): settings updates and the bot API that answers
 * other bots' queries ({@code <base>/bot/<name>}, Poe's event stream). It records every request: what botfleet sends
 * there, and what fastapi_poe's own client functions send for the same call, so that tests compare the two. Each
 * request takes the next scripted answer; without one it answers 200 {@code {"status": "ok"}}, and a request to the
 * cost API ({@code <base>/bot/cost/...}) Poe's approval, a {@code result} event of status {@code success}.
 */
public final class FakePoeApi implements AutoCloseable {

    /** The cost API's answer when it authorizes or captures an amount. */
    public static final Answer COST_APPROVED = Answer.events(event("result", "{\"status\": \"success\"}"));

    private final HttpServer server;
    private final ConcurrentLinkedQueue<Answer> script = new ConcurrentLinkedQueue<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    /** One request as the fake received it; {@code path} is the raw path, as it was on the wire. */
    public record Request(String method, String path, Map<String, List<String>> headers, String body) {

        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    /** How the fake answers one request. */
    public record Answer(int status, String contentType, String body, Duration delay) {

        public static Answer status(int status, String body) {
            return new Answer(status, "application/json", body, Duration.ZERO);
        }

        /** Answers 200 only after {@code delay}: longer than the caller's timeout, no answer at all. */
        public static Answer after(Duration delay) {
            return new Answer(200, "application/json", "{\"status\": \"ok\"}", delay);
        }

        /** A Poe bot's answer: the events, each made by {@link #event}, as one event stream. */
        public static Answer events(String... events) {
            return new Answer(200, "text/event-stream", String.join("", events), Duration.ZERO);
        }

        /** The same answer, given only after {@code delay}. */
        public Answer delayed(Duration delay) {
            return new Answer(status, contentType, body, delay);
        }
    }

    /** One server-sent event of Poe's protocol, such as {@code event("text", "{\"text\": \"Hi\"}")}. */
    public static String event(String name, String data) {
        return "event: " + name + "\ndata: " + data + "\n\n";
    }

    public FakePoeApi() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "fake-poe-api");
            thread.setDaemon(true);
            return thread;
        }));
        server.createContext("/", this::handle);
        server.start();
    }

    /** The bot API's base URL, as botfleet and fastapi_poe take it: ends in {@code /bot/}. */
    public String botApiUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/bot/";
    }

    public FakePoeApi enqueue(Answer... answers) {
        script.addAll(List.of(answers));
        return this;
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public void reset() {
        script.clear();
        requests.clear();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                Map.copyOf(exchange.getRequestHeaders()), body));
        Answer answer = script.poll();
        if (answer == null) {
            answer = exchange.getRequestURI().getRawPath().contains("/cost/") ? COST_APPROVED
                    : Answer.status(200, "{\"status\": \"ok\"}");
        }
        try {
            Thread.sleep(answer.delay().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", answer.contentType());
        try {
            exchange.sendResponseHeaders(answer.status(), bytes.length);
            exchange.getResponseBody().write(bytes);
        } catch (IOException callerGone) {
            // the caller timed out and left
        } finally {
            exchange.close();
        }
    }
}
