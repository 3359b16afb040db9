package dev.botfleet.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OpenAI-compatible server on loopback that streams real {@code chat.completion.chunk} wire format:
 * a role delta first, content deltas, a finish_reason chunk, a usage chunk with empty choices, then
 * {@code data: [DONE]}. Each request takes the next scripted {@link Reply}; without one it echoes the last user
 * message word by word. Every request is recorded for assertions.
 */
public final class FakeOpenAiServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ConcurrentLinkedQueue<Reply> script = new ConcurrentLinkedQueue<>();
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger openStreams = new AtomicInteger();
    private final AtomicInteger abortedStreams = new AtomicInteger();

    public FakeOpenAiServer() {
        try {
            // A deep accept backlog: with the default (50), a burst of connections waits for SYN retries (1 s).
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 4096);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread thread = new Thread(r, "fake-openai");
            thread.setDaemon(true);
            return thread;
        }));
        server.createContext("/", this::handle);
        server.start();
    }

    /** The base URL a provider points at, ending in {@code /v1}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    public FakeOpenAiServer enqueue(Reply... replies) {
        script.addAll(List.of(replies));
        return this;
    }

    public List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    public RecordedRequest lastRequest() {
        return requests.get(requests.size() - 1);
    }

    /** Streams whose client went away before the server finished writing. */
    public int abortedStreams() {
        return abortedStreams.get();
    }

    public int openStreams() {
        return openStreams.get();
    }

    public void reset() {
        script.clear();
        requests.clear();
        abortedStreams.set(0);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
        Map<String, List<String>> headers = Map.copyOf(exchange.getRequestHeaders());
        requests.add(new RecordedRequest(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
                headers, body, exchange.getRemoteAddress().getPort()));
        Reply reply = script.poll();
        if (reply == null) {
            reply = Reply.echo();
        }
        openStreams.incrementAndGet();
        try {
            reply.serve(exchange, body);
        } catch (IOException e) {
            abortedStreams.incrementAndGet();
        } finally {
            openStreams.decrementAndGet();
            exchange.close();
        }
    }

    /** One request as the fake received it. */
    public record RecordedRequest(String method, String uri, Map<String, List<String>> headers, JsonNode body,
                                  int clientPort) {

        public String header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0))
                    .findFirst().orElse(null);
        }

        /** The (role, content) pairs sent upstream, as "role: content". */
        public List<String> messages() {
            List<String> messages = new ArrayList<>();
            body.path("messages").forEach(m -> messages.add(m.path("role").asText() + ": "
                    + m.path("content").asText()));
            return messages;
        }
    }

    /** How the fake answers one request. */
    @FunctionalInterface
    public interface Reply {

        void serve(HttpExchange exchange, JsonNode request) throws IOException;

        /** Streams the last user message back, one word per chunk. */
        static Reply echo() {
            return (exchange, request) -> {
                String last = "";
                for (JsonNode message : request.path("messages")) {
                    if (message.path("role").asText().equals("user")) {
                        last = message.path("content").asText();
                    }
                }
                List<String> words = new ArrayList<>();
                for (String word : last.split("(?<= )")) {
                    words.add(word);
                }
                chunks(words.toArray(String[]::new)).serve(exchange, request);
            };
        }

        /** Streams these content deltas with the usual framing. */
        static Reply chunks(String... contents) {
            return stream(Duration.ZERO, contents);
        }

        /** Streams these content deltas, waiting {@code delay} before each. */
        static Reply stream(Duration delay, String... contents) {
            return (exchange, request) -> {
                OutputStream out = startStream(exchange);
                String model = request.path("model").asText();
                send(out, chunk(model, delta("role", "assistant").put("content", ""), null));
                for (String content : contents) {
                    sleep(delay);
                    send(out, chunk(model, delta("content", content), null));
                }
                send(out, chunk(model, JSON.createObjectNode(), "stop"));
                if (request.path("stream_options").path("include_usage").asBoolean(false)) {
                    ObjectNode usage = chunkWithoutChoices(model);
                    usage.putObject("usage").put("prompt_tokens", 11).put("completion_tokens", contents.length)
                            .put("total_tokens", 11 + contents.length);
                    send(out, usage);
                }
                out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
            };
        }

        /** Answers with an HTTP error and an OpenAI-style error body. */
        static Reply status(int status, Map<String, String> headers) {
            return error(status, "fake upstream error " + status, headers);
        }

        /** An OpenAI-style error body with {@code message}, as providers explain a refusal. */
        static Reply error(int status, String message, Map<String, String> headers) {
            return (exchange, request) -> {
                ObjectNode error = JSON.createObjectNode();
                error.putObject("error").put("message", message)
                        .put("type", "fake_error").put("code", status);
                byte[] bytes = JSON.writeValueAsBytes(error);
                headers.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(status, bytes.length);
                exchange.getResponseBody().write(bytes);
            };
        }

        static Reply status(int status) {
            return status(status, Map.of());
        }

        /**
         * Sends some content, goes silent until {@code release} is counted down (or a minute), then trickles more
         * content for a few seconds.
         */
        static Reply stallAfter(CountDownLatch release, String... contents) {
            return (exchange, request) -> {
                OutputStream out = startStream(exchange);
                String model = request.path("model").asText();
                send(out, chunk(model, delta("role", "assistant").put("content", ""), null));
                for (String content : contents) {
                    send(out, chunk(model, delta("content", content), null));
                }
                try {
                    release.await(1, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                // Writing after the client left is how the fake notices an aborted stream: keep writing for
                // up to five seconds, then finish normally.
                for (int i = 0; i < 100; i++) {
                    send(out, chunk(model, delta("content", "."), null));
                    sleep(Duration.ofMillis(50));
                }
            };
        }

        /** Waits before sending anything at all, not even the status line. */
        static Reply silentFor(Duration silence, String... contents) {
            return (exchange, request) -> {
                sleep(silence);
                chunks(contents).serve(exchange, request);
            };
        }

        /** Sends the status and headers, then nothing for a while. */
        static Reply headersThenSilence(Duration silence) {
            return (exchange, request) -> {
                OutputStream out = startStream(exchange);
                out.flush();
                sleep(silence);
            };
        }

        /** Sends only keep-alive comments, {@code every} apart, for {@code length}, then the content. */
        static Reply keepAliveCommentsFor(Duration length, Duration every, String... contents) {
            return (exchange, request) -> {
                OutputStream out = startStream(exchange);
                for (long sent = 0; sent < length.toMillis(); sent += every.toMillis()) {
                    out.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    sleep(every);
                }
                String model = request.path("model").asText();
                for (String content : contents) {
                    send(out, chunk(model, delta("content", content), null));
                }
                send(out, chunk(model, JSON.createObjectNode(), "stop"));
                out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
            };
        }

        /** A usage chunk without choices before the content, as some providers send. */
        static Reply chunkWithoutChoicesFirst(String... contents) {
            return (exchange, request) -> {
                OutputStream out = startStream(exchange);
                send(out, chunkWithoutChoices(request.path("model").asText()));
                for (String content : contents) {
                    send(out, chunk(request.path("model").asText(), delta("content", content), null));
                }
                send(out, chunk(request.path("model").asText(), JSON.createObjectNode(), "stop"));
                out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
            };
        }

        /** Sends some content, then writes a line that is not JSON. */
        static Reply malformedAfter(String... contents) {
            return (exchange, request) -> {
                OutputStream out = startStream(exchange);
                String model = request.path("model").asText();
                for (String content : contents) {
                    send(out, chunk(model, delta("content", content), null));
                }
                out.write("data: {not json\n\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
            };
        }

        /** Sends some content, then an OpenAI-style error object in place of the next chunk. */
        static Reply errorEventAfter(String message, String... contents) {
            return (exchange, request) -> {
                OutputStream out = startStream(exchange);
                String model = request.path("model").asText();
                for (String content : contents) {
                    send(out, chunk(model, delta("content", content), null));
                }
                ObjectNode error = JSON.createObjectNode();
                error.putObject("error").put("message", message).put("type", "server_error");
                send(out, error);
            };
        }

        /**
         * The model calls a function: the call's id, type and name in the first delta, its JSON arguments in the
         * parts given, then finish_reason tool_calls, as OpenAI streams it.
         */
        static Reply toolCall(String id, String function, String... arguments) {
            return (exchange, request) -> {
                OutputStream out = startStream(exchange);
                String model = request.path("model").asText();
                send(out, chunk(model, delta("role", "assistant").putNull("content"), null));
                ObjectNode first = JSON.createObjectNode();
                ObjectNode call = first.putArray("tool_calls").addObject().put("index", 0).put("id", id)
                        .put("type", "function");
                call.putObject("function").put("name", function).put("arguments", "");
                send(out, chunk(model, first, null));
                for (String part : arguments) {
                    ObjectNode delta = JSON.createObjectNode();
                    delta.putArray("tool_calls").addObject().put("index", 0).putObject("function")
                            .put("arguments", part);
                    send(out, chunk(model, delta, null));
                }
                send(out, chunk(model, JSON.createObjectNode(), "tool_calls"));
                out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
            };
        }

        /** Sends some content and ends the body without a finish_reason or [DONE]. */
        static Reply truncatedAfter(String... contents) {
            return (exchange, request) -> {
                OutputStream out = startStream(exchange);
                String model = request.path("model").asText();
                for (String content : contents) {
                    send(out, chunk(model, delta("content", content), null));
                }
            };
        }
    }

    private static OutputStream startStream(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        return exchange.getResponseBody();
    }

    private static ObjectNode delta(String field, String value) {
        return JSON.createObjectNode().put(field, value);
    }

    private static ObjectNode chunk(String model, ObjectNode delta, String finishReason) {
        ObjectNode chunk = chunkWithoutChoices(model);
        ArrayNode choices = chunk.putArray("choices");
        ObjectNode choice = choices.addObject().put("index", 0);
        choice.set("delta", delta);
        if (finishReason == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finishReason);
        }
        return chunk;
    }

    private static ObjectNode chunkWithoutChoices(String model) {
        ObjectNode chunk = JSON.createObjectNode()
                .put("id", "chatcmpl-fake")
                .put("object", "chat.completion.chunk")
                .put("created", 1_700_000_000L)
                .put("model", model);
        chunk.putArray("choices");
        return chunk;
    }

    private static void send(OutputStream out, ObjectNode chunk) throws IOException {
        out.write(("data: " + JSON.writeValueAsString(chunk) + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void sleep(Duration delay) {
        if (delay.isZero()) {
            return;
        }
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
