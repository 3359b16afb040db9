package dev.botfleet.runtime.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.channel.ChannelOption;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;

/**
 * A non-blocking OpenAI-compatible upstream for benchmarks, over HTTP/1.1 or h2c: holding ten thousand streams open
 * costs it no threads.
 * The model name is the script: {@code bench-K-D} streams K content chunks ({@value #TOKEN}), the first at once
 * and the others D ms apart, then a finish chunk and {@code [DONE]}.
 */
final class BenchUpstream implements AutoCloseable {

    static final String TOKEN = "token ";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DisposableServer server;

    /** Serves until the benchmark ends this process; prints the port on the first line. */
    public static void main(String[] args) throws InterruptedException {
        BenchUpstream upstream = new BenchUpstream();
        System.out.println(upstream.server.port());
        System.out.flush();
        upstream.server.onDispose().block();
    }

    BenchUpstream() {
        server = HttpServer.create()
                .host("127.0.0.1")
                .port(0)
                .option(ChannelOption.SO_BACKLOG, 8192)
                .childOption(ChannelOption.TCP_NODELAY, true)
                // HTTP/1.1, and cleartext HTTP/2 for clients that speak it with prior knowledge, announcing the stream
                // limit of Cloudflare's edge, which serves OpenAI's API.
                .protocol(HttpProtocol.HTTP11, HttpProtocol.H2C)
                .http2Settings(settings -> settings.maxConcurrentStreams(256))
                .route(routes -> routes.post("/v1/chat/completions", this::stream))
                .bindNow();
    }

    static String baseUrl(int port) {
        return "http://127.0.0.1:" + port + "/v1";
    }

    static String model(int chunks, long delayMillis) {
        return "bench-" + chunks + "-" + delayMillis;
    }

    private Publisher<Void> stream(HttpServerRequest request, HttpServerResponse response) {
        return request.receive().aggregate().asString().flatMapMany(body -> {
            String model = model(body);
            String[] script = model.split("-");
            int chunks = Integer.parseInt(script[1]);
            Duration delay = Duration.ofMillis(Long.parseLong(script[2]));
            Flux<String> events = Flux.range(0, chunks)
                    .concatMap(i -> i == 0 || delay.isZero() ? Mono.just(i) : Mono.delay(delay).thenReturn(i))
                    .map(i -> event(chunk(model, "{\"content\":\"" + TOKEN + "\"}", "null")))
                    .concatWith(Mono.just(event(chunk(model, "{}", "\"stop\"")) + "data: [DONE]\n\n"));
            return response.header("Content-Type", "text/event-stream").sendString(events);
        });
    }

    private static String model(String body) {
        try {
            return JSON.readTree(body).path("model").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String chunk(String model, String delta, String finishReason) {
        return "{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1764000000,\"model\":\""
                + model + "\",\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":" + finishReason
                + "}]}";
    }

    private static String event(String data) {
        return "data: " + data + "\n\n";
    }

    @Override
    public void close() {
        server.disposeNow();
    }
}
