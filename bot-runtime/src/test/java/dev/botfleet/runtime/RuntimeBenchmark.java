package dev.botfleet.runtime;

import dev.botfleet.runtime.fake.FakeOpenAiServer.Reply;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * Runtime overhead, measured against the direct path in the same run: a client streaming from the fake upstream
 * directly, and the same client streaming through the runtime's Poe endpoint. Prints figures; asserts nothing.
 * Run with {@code ./mvnw -B -Pbench -pl bot-runtime -am verify}.
 */
class RuntimeBenchmark extends RuntimeTestBase {

    private static final int CHUNKS = 20;
    private static final Duration CHUNK_DELAY = Duration.ofMillis(5);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @Test
    void printFigures() throws Exception {
        System.out.println("\n## bot-runtime (" + Runtime.getRuntime().availableProcessors() + " cores, in-process: "
                + "client, runtime and fake upstream share one JVM)\n");
        warmUp();
        System.out.println("| concurrent streams | direct TTFT p50 / p99 (ms) | via runtime TTFT p50 / p99 (ms) | "
                + "added p50 / p99 (ms) | echo bot, no upstream, p50 / p99 (ms) | errors |");
        System.out.println("| --- | --- | --- | --- | --- | --- |");
        for (int streams : List.of(1, 100, Integer.getInteger("bench.maxStreams", 1000))) {
            Sample direct = run(streams, this::directFirstToken);
            Sample relayed = run(streams, this::relayedFirstToken);
            Sample echo = measure(streams, this::echoAnswer);
            System.out.printf("| %d | %.2f / %.2f | %.2f / %.2f | %.2f / %.2f | %.2f / %.2f | %d |%n", streams,
                    direct.p(50), direct.p(99), relayed.p(50), relayed.p(99),
                    relayed.p(50) - direct.p(50), relayed.p(99) - direct.p(99), echo.p(50), echo.p(99),
                    direct.errors + relayed.errors + echo.errors);
        }
        throughput();
        startup();
    }

    private void warmUp() throws Exception {
        for (int i = 0; i < 300; i++) {
            UPSTREAM.enqueue(Reply.chunks("token "), Reply.chunks("token "));
            directFirstToken().get();
            relayedFirstToken().get();
        }
    }

    /** Latencies in ms of {@code streams} concurrent streams, each to its first token. */
    private Sample run(int streams, Supplier<CompletableFuture<Double>> stream) {
        String[] contents = new String[CHUNKS];
        Arrays.fill(contents, "token ");
        for (int i = 0; i < streams; i++) {
            UPSTREAM.enqueue(Reply.stream(CHUNK_DELAY, contents));
        }
        return measure(streams, stream);
    }

    /** Latencies in ms of {@code streams} concurrent requests. */
    private Sample measure(int streams, Supplier<CompletableFuture<Double>> stream) {
        List<CompletableFuture<Double>> futures = new ArrayList<>();
        for (int i = 0; i < streams; i++) {
            futures.add(stream.get());
        }
        Sample sample = new Sample();
        for (CompletableFuture<Double> future : futures) {
            try {
                sample.values.add(future.join());
            } catch (RuntimeException e) {
                sample.errors++;
            }
        }
        return sample;
    }

    private CompletableFuture<Double> directFirstToken() {
        String body = "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        return firstLineContaining(HttpRequest.newBuilder(URI.create(UPSTREAM.baseUrl() + "/chat/completions"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), "\"content\":\"token");
    }

    private CompletableFuture<Double> echoAnswer() {
        return firstLineContaining(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/bots/echo-bot"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(PoeClient.query("token").toString())).build(), "token");
    }

    private CompletableFuture<Double> relayedFirstToken() {
        return firstLineContaining(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/bots/open"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(PoeClient.query("hi").toString())).build(), "token");
    }

    /** Sends the request and times it until a line containing {@code marker}; reads the rest to the end. */
    private CompletableFuture<Double> firstLineContaining(HttpRequest request, String marker) {
        long start = System.nanoTime();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream()).thenApply(response -> {
            double firstToken = -1;
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    if (firstToken < 0 && line.contains(marker)) {
                        firstToken = (System.nanoTime() - start) / 1e6;
                    }
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            if (firstToken < 0) {
                throw new IllegalStateException("no token in the answer");
            }
            return firstToken;
        });
    }

    /** Chunks per second of one long stream without delays, direct and relayed. */
    private void throughput() throws Exception {
        String[] contents = new String[2000];
        Arrays.fill(contents, "t ");
        double direct = 0;
        double relayed = 0;
        for (int round = 0; round < 5; round++) {
            UPSTREAM.enqueue(Reply.chunks(contents), Reply.chunks(contents));
            direct += timeWholeAnswer(HttpRequest.newBuilder(URI.create(UPSTREAM.baseUrl() + "/chat/completions"))
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"))
                    .build());
            relayed += timeWholeAnswer(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/bots/open"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(PoeClient.query("x").toString())).build());
        }
        double directRate = 5 * contents.length / (direct / 1000);
        double relayedRate = 5 * contents.length / (relayed / 1000);
        System.out.printf("%nThroughput of one 2,000-chunk stream: direct %.0f chunks/s, via runtime %.0f chunks/s "
                + "(ratio %.2f)%n", directRate, relayedRate, relayedRate / directRate);
    }

    private double timeWholeAnswer(HttpRequest request) throws Exception {
        long start = System.nanoTime();
        try (InputStream body = http.send(request, HttpResponse.BodyHandlers.ofInputStream()).body()) {
            body.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return (System.nanoTime() - start) / 1e6;
    }

    /** Start-up of the packaged jar, from process start to readiness, when the jar has been built. */
    private void startup() throws Exception {
        Path jar = Path.of("target/bot-runtime.jar");
        if (!Files.exists(jar)) {
            System.out.println("\nStart-up: target/bot-runtime.jar not built; run ./mvnw -B -q -DskipTests install first");
            return;
        }
        for (String variant : List.of("plain", "tiered-stop-1")) {
            int freePort;
            try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
                freePort = socket.getLocalPort();
            }
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
            if (variant.equals("tiered-stop-1")) {
                command.add("-XX:TieredStopAtLevel=1");
            }
            command.addAll(List.of("-jar", jar.toString(), "--manifests=" + MANIFESTS, "--secrets-dir=" + SECRETS,
                    "--server.port=" + freePort));
            long start = System.nanoTime();
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            try {
                while (true) {
                    try {
                        if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + freePort
                                        + "/actuator/health/readiness")).build(),
                                HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                            break;
                        }
                    } catch (java.io.IOException notYet) {
                        Thread.sleep(20);
                    }
                }
                long readyMs = (System.nanoTime() - start) / 1_000_000;
                String rss = Files.readAllLines(Path.of("/proc/" + process.pid() + "/status")).stream()
                        .filter(line -> line.startsWith("VmRSS")).findFirst().orElse("VmRSS: ?");
                System.out.printf("Start-up (%s): %d ms from java -jar to readiness; idle %s%n", variant, readyMs,
                        rss.replaceAll("\\s+", " "));
            } finally {
                process.destroy();
                process.waitFor();
            }
        }
    }

    private static final class Sample {
        private final List<Double> values = new ArrayList<>();
        private int errors;

        double p(int percentile) {
            if (values.isEmpty()) {
                return Double.NaN;
            }
            List<Double> sorted = values.stream().sorted().toList();
            return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1));
        }
    }

}
