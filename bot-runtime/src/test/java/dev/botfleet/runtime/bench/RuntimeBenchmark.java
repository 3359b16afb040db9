package dev.botfleet.runtime.bench;

import dev.botfleet.testing.RedisServer;
import dev.botfleet.testing.RuntimeProcess;

import dev.botfleet.runtime.PoeClient;
import dev.botfleet.runtime.bench.BenchClient.Stream;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Runtime overhead and capacity, measured against the direct path in the same run. Three processes share the
 * machine: the packaged runtime with a 512 MiB heap, a non-blocking fake upstream, and this JVM's non-blocking client,
 * which streams from the upstream directly and through the runtime's Poe endpoint. Prints figures, asserts nothing.
 * Run with {@code ./mvnw -B -q -DskipTests install && ./mvnw -B -Pbench -pl bot-runtime verify}.
 */
class RuntimeBenchmark {

    /** {@code -Dbench.shipped=true}: the runtime as the operator's Deployment starts it, instead of {@value #HEAP}. */
    private static final boolean SHIPPED = Boolean.getBoolean("bench.shipped");
    private static final String HEAP = "-Xmx512m";
    /**
     * Each stream relayed over HTTP/1.1 holds two sockets in the runtime; this machine allows 20,000 open files a
     * process. Over HTTP/2 the upstream side shares connections, so a stream holds one socket of its own.
     */
    private static final int MAX_OPEN_STREAMS = Integer.getInteger("bench.maxOpenStreams", 9_000);
    private static final int MAX_OPEN_STREAMS_HTTP2 = Integer.getInteger("bench.maxOpenStreamsHttp2", 10_000);
    private static final String BURST = BenchUpstream.model(20, 5);
    private static final String STEADY = BenchUpstream.model(20, 50);
    private static final String LONG = BenchUpstream.model(20_000, 0);
    private static final String MANY = BenchUpstream.model(2_000, 0);
    private static final String HOLD = BenchUpstream.model(2, 600_000);
    private static final String PACED_10MS = BenchUpstream.model(200, 10);
    private static final String PACED_20MS = BenchUpstream.model(100, 20);
    /** Issue 27's long answer: 12,000 deltas at once, 72,000 characters (under Poe's 100,000). */
    private static final String TWELVE_THOUSAND = BenchUpstream.model(12_000, 0);
    /** Turns text coalescing off: every delta its own event, as before it existed. */
    private static final List<String> ONE_EVENT_PER_DELTA = List.of("-Dbotfleet.poe.text-batch=1",
            "-Dbotfleet.poe.text-interval=0ms", "-Dbotfleet.poe.max-events=2000000000");

    private static final Map<String, String> BENCH_BOTS = Map.of("burst", BURST, "steady", STEADY, "long", LONG,
            "many", MANY, "hold", HOLD, "paced-10ms", PACED_10MS, "paced-20ms", PACED_20MS,
            "twelve-thousand", TWELVE_THOUSAND);

    private static final String QUERY = PoeClient.query("hi").toString();

    private final BenchClient client = new BenchClient();
    private UpstreamProcess upstream;

    @Test
    void printFigures() throws Exception {
        assumeTrue(Files.exists(RuntimeProcess.JAR), "build the runtime jar first: ./mvnw -B -q -DskipTests install");
        System.out.printf("%n## bot-runtime (%d cores; runtime, upstream and client each in a JVM of their own; "
                + "runtime with %s)%n", Runtime.getRuntime().availableProcessors(), options());
        try (UpstreamProcess started = new UpstreamProcess(); client) {
            upstream = started;
            if (section("burst") || section("steady") || section("throughput")) {
                try (RuntimeProcess runtime = startRuntime(fleet(0))) {
                    warmUp(runtime);
                    measure(server(runtime, "runtime", ""));
                    if (section("h2")) {
                        System.out.printf("%n## The runtime relaying over HTTP/2 (h2c) to the upstream%n");
                        measure(server(runtime, "runtime over HTTP/2", "-h2"));
                    }
                }
            }
            if (section("anchor")) {
                for (int workers : List.of(1, 2)) {
                    try (AnchorProcess anchor = new AnchorProcess(upstream.baseUrl(), BENCH_BOTS, workers)) {
                        System.out.printf("%n## The fastapi_poe anchor, %d uvicorn worker(s): idle RSS %.0f MiB%n",
                                workers, anchor.rssMiB());
                        measure(anchor);
                        System.out.printf("%nanchor RSS after the load: %.0f MiB%n", anchor.rssMiB());
                    }
                }
            }
            if (section("anchor-streams")) {
                anchorOpenStreams();
            }
            if (section("streams")) {
                openStreams("hold", "HTTP/1.1 to the upstream", MAX_OPEN_STREAMS);
            }
            if (section("streams-h2")) {
                openStreams("hold-h2", "HTTP/2 to the upstream", MAX_OPEN_STREAMS_HTTP2);
            }
            if (section("bots")) {
                configuredBots();
            }
            if (section("events")) {
                eventsPerAnswer();
            }
            if (section("startup")) {
                startup();
            }
            if (section("counts")) {
                limitsAndBudgets();
            }
        }
    }

    /**
     * The packaged runtime with {@value #HEAP} or as shipped, and the options of {@code -Dbench.runtimeJvmOptions}
     * (a JFR recording, say); the HTTP/2 sections may raise its connection limit with
     * {@code -Dbench.runtimeJvmOptions=-Dbotfleet.max-connections=19000}.
     */
    private static RuntimeProcess startRuntime(Path manifests, String... moreOptions) throws Exception {
        if (!SHIPPED) {
            List<String> options = new ArrayList<>(List.of(HEAP));
            options.addAll(List.of(moreOptions));
            return RuntimeProcess.startJar(manifests, options.toArray(String[]::new));
        }
        ShippedRuntime shipped = ShippedRuntime.read();
        List<String> options = new ArrayList<>(shipped.jvmOptions());
        options.addAll(List.of(moreOptions));
        options.addAll(RuntimeProcess.extraJvmOptions());
        List<String> launch = new ArrayList<>(List.of("-jar", RuntimeProcess.JAR.toString()));
        launch.addAll(shipped.arguments());
        return RuntimeProcess.start(manifests, options, launch, shipped.environment());
    }

    private static String options() throws IOException {
        return SHIPPED ? "as the operator's Deployment starts it: " + ShippedRuntime.read().describe() : HEAP;
    }

    /** The burst, steady and throughput sections that are asked for, through {@code server}. */
    private void measure(PoeServer server) throws InterruptedException {
        if (section("burst")) {
            burstLatency(server);
        }
        if (section("steady")) {
            steadyLatency(server);
        }
        if (section("throughput")) {
            throughput(server);
        }
    }

    /** The runtime's bots whose names end in {@code botSuffix}: "-h2" for those of the HTTP/2 provider. */
    private static PoeServer server(RuntimeProcess runtime, String label, String botSuffix) {
        return new PoeServer() {
            @Override
            public String label() {
                return label;
            }

            @Override
            public String botUrl(String bot) {
                return runtime.botUrl(bot + botSuffix);
            }

            @Override
            public double cpuMillis() {
                return runtime.cpuMillis();
            }

            @Override
            public double kernelCpuMillis() {
                return RuntimeProcess.kernelCpuMillis(runtime.pid());
            }
        };
    }

    /**
     * {@code -Dbench.sections=burst,steady,throughput,streams,streams-h2,bots,startup,anchor,anchor-streams,h2,events,
     * counts}
     * runs some sections only; anchor runs the burst, steady and throughput sections asked for against the
     * fastapi_poe anchor, h2 runs them once more through the runtime with HTTP/2 to the upstream, events compares
     * text coalesced and not.
     */
    private static boolean section(String name) {
        String sections = System.getProperty("bench.sections", "");
        return sections.isBlank() || List.of(sections.split(",")).contains(name);
    }

    /**
     * Until the JIT has compiled the paths the sections take: bursts (over HTTP/1.1 and HTTP/2 to the upstream), then
     * half a minute of steady streams.
     */
    private void warmUp(RuntimeProcess runtime) {
        PoeServer http1 = server(runtime, "runtime", "");
        PoeServer http2 = server(runtime, "runtime over HTTP/2", "-h2");
        for (int round = 0; round < 3; round++) {
            Flux.range(0, 2_000).flatMap(i -> direct(BURST).then(relayed(i % 2 == 0 ? http1 : http2, "burst")), 50)
                    .blockLast();
        }
        closedLoop(200, Duration.ofSeconds(30), () -> relayed(http1, "steady")).blockLast();
    }

    /** Each row repeats its burst, 100 ms apart, until it has at least 200 streams. */
    private void burstLatency(PoeServer server) throws InterruptedException {
        System.out.println("\n### Time to first token, N streams started at the same moment (20 chunks, 5 ms apart)\n");
        System.out.println("| streams | direct p50 / p99 (ms) | via " + server.label()
                + " p50 / p99 (ms) | added p50 / p99 (ms) | errors |");
        System.out.println("| --- | --- | --- | --- | --- |");
        for (int streams : List.of(1, 10, 100, 1_000)) {
            Sample direct = new Sample();
            Sample relayed = new Sample();
            for (int round = 0; round < Math.max(3, 200 / streams); round++) {
                direct.addFirstTokens(Flux.range(0, streams).flatMap(i -> attempt(() -> direct(BURST)), streams));
                Thread.sleep(100);
                relayed.addFirstTokens(Flux.range(0, streams)
                        .flatMap(i -> attempt(() -> relayed(server, "burst")), streams));
                Thread.sleep(100);
            }
            printLatencyRow(String.format("%,d", streams), direct, relayed);
        }
    }

    private void steadyLatency(PoeServer server) {
        Duration length = Duration.ofSeconds(Integer.getInteger("bench.steadySeconds", 15));
        System.out.printf("%n### Time to first token with N streams open all the time (each 20 chunks, 50 ms apart; "
                + "a new stream starts when one ends; %d s)%n%n", length.toSeconds());
        System.out.println("| open streams | direct p50 / p99 (ms) | via " + server.label() + " p50 / p99 (ms) | "
                + "added p50 / p99 (ms) | errors | server CPU per stream (ms) | of it in the kernel |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- |");
        for (int streams : List.of(100, 1_000)) {
            Sample direct = new Sample();
            direct.addFirstTokens(closedLoop(streams, length, () -> direct(STEADY)));
            double cpuBefore = server.cpuMillis();
            double kernelBefore = server.kernelCpuMillis();
            Sample relayed = new Sample();
            relayed.addFirstTokens(closedLoop(streams, length, () -> relayed(server, "steady")));
            double cpu = server.cpuMillis() - cpuBefore;
            double kernel = server.kernelCpuMillis() - kernelBefore;
            printLatencyRow(String.format("%,d (%,.0f streams/s)", streams, relayed.values.size()
                    / (double) length.toSeconds()), direct, relayed,
                    String.format(" %.2f | %.0f %% |", cpu / relayed.values.size(), 100 * kernel / cpu));
        }
    }

    private Flux<Optional<Stream>> closedLoop(int streams, Duration length, Supplier<Mono<Stream>> one) {
        long end = System.nanoTime() + length.toNanos();
        return Flux.range(0, streams).flatMap(i -> attempt(one).repeat(() -> System.nanoTime() < end), streams);
    }

    private void throughput(PoeServer server) {
        System.out.println("\n### Relayed throughput\n");
        System.out.println("| load | direct (chunks/s) | via " + server.label() + " (chunks/s) | fraction of direct |");
        System.out.println("| --- | --- | --- | --- |");
        throughputRow(server, "100 streams of 200 chunks, 10 ms apart", 100, PACED_10MS, "paced-10ms");
        throughputRow(server, "1,000 streams of 100 chunks, 20 ms apart", 1_000, PACED_20MS, "paced-20ms");
        throughputRow(server, "1 stream of 20,000 chunks, no delay", 1, LONG, "long");
        throughputRow(server, "100 streams of 2,000 chunks, no delay", 100, MANY, "many");
    }

    private void throughputRow(PoeServer server, String load, int concurrency, String model, String bot) {
        double direct = rate(concurrency, () -> direct(model));
        double relayed = rate(concurrency, () -> relayed(server, bot));
        System.out.printf("| %s | %,.0f | %,.0f | %.2f |%n", load, direct, relayed, relayed / direct);
    }

    /** Chunks per second: the median of five rounds. */
    private double rate(int concurrency, Supplier<Mono<Stream>> one) {
        List<Double> rounds = new ArrayList<>();
        for (int round = 0; round < 5; round++) {
            long start = System.nanoTime();
            long tokens = Flux.range(0, concurrency).flatMap(i -> one.get(), concurrency)
                    .map(Stream::tokens).reduce(0L, Long::sum).block();
            rounds.add(tokens / ((System.nanoTime() - start) / 1e9));
        }
        return median(rounds);
    }

    /**
     * What {@code spec.limits} and {@code spec.budgets} add to an answer, counted in memory and in a real Redis on
     * loopback: the same bot with and without them, on a runtime of each kind, in closed loops of N streams. Rounds
     * alternate between the four, so that the machine's drift spreads over all of them.
     */
    private void limitsAndBudgets() throws Exception {
        Duration length = Duration.ofSeconds(Integer.getInteger("bench.steadySeconds", 10));
        int rounds = 3;
        System.out.printf("%n### Limits and budgets, in memory and in Redis (20 chunks, 50 ms apart; a new stream "
                + "starts when one ends; %d rounds of %d s each; all queries from one Poe user)%n%n", rounds,
                length.toSeconds());
        System.out.println("| counts | open streams | without: p50 / p99 (ms) | with limits and budgets: p50 / p99 (ms) "
                + "| added p50 / p99 (ms) | errors | runtime CPU per answer without / with (ms) | Redis CPU per "
                + "answer (ms) |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- |");
        try (RedisServer redis = RedisServer.start("bench-redis-password");
             RuntimeProcess memory = startRuntime(fleet(0));
             RuntimeProcess shared = startRuntime(fleet(0), "-Dbotfleet.redis.url=" + redis.url(),
                     "-Dbotfleet.redis.password=" + redis.password())) {
            List<RuntimeProcess> runtimes = List.of(memory, shared);
            for (RuntimeProcess runtime : runtimes) {
                PoeServer server = server(runtime, "runtime", "");
                closedLoop(100, Duration.ofSeconds(20), () -> relayed(server, "steady")
                        .then(relayed(server, "counted"))).blockLast();
            }
            for (int streams : List.of(1, 100)) {
                Map<String, Sample> samples = new java.util.HashMap<>();
                Map<String, Double> cpu = new java.util.HashMap<>();
                for (int round = 0; round < rounds; round++) {
                    for (RuntimeProcess runtime : runtimes) {
                        for (String bot : List.of("steady", "counted")) {
                            String key = runtimes.indexOf(runtime) + bot;
                            PoeServer server = server(runtime, "runtime", "");
                            double before = runtime.cpuMillis();
                            double redisBefore = redis.cpuMillis();
                            samples.computeIfAbsent(key, k -> new Sample())
                                    .addFirstTokens(closedLoop(streams, length, () -> relayed(server, bot)));
                            cpu.merge(key, runtime.cpuMillis() - before, Double::sum);
                            cpu.merge(key + "redis", redis.cpuMillis() - redisBefore, Double::sum);
                        }
                    }
                }
                for (RuntimeProcess runtime : runtimes) {
                    int index = runtimes.indexOf(runtime);
                    Sample without = samples.get(index + "steady");
                    Sample with = samples.get(index + "counted");
                    System.out.printf("| %s | %d | %.1f / %.1f | %.1f / %.1f | %.2f / %.2f | %d | %.2f / %.2f | %s |%n",
                            runtime == memory ? "in memory" : "Redis", streams, without.p(50), without.p(99),
                            with.p(50), with.p(99), with.p(50) - without.p(50), with.p(99) - without.p(99),
                            without.errors + with.errors, cpu.get(index + "steady") / without.values.size(),
                            cpu.get(index + "counted") / with.values.size(), runtime == memory ? "–"
                                    : String.format("%.3f", cpu.get(index + "countedredis") / with.values.size()));
                }
            }
        }
    }

    /** One row of the events section: an upstream answer's script and the bot that relays it. */
    private record Script(String label, String bot, String model) {
    }

    /** What the runtime made of one script: per answer, on average. */
    private record EventsRow(double textEvents, double addedMillisPerChunk, double cpuMillis) {
    }

    /**
     * Text events per answer, the time coalescing adds to each chunk (when its tokens arrived, on average, through
     * the runtime less directly) and the runtime's CPU per answer with 100 answers at once: two runtimes side by
     * side, one as shipped and one with coalescing turned off, measured in turn, three rounds, the median.
     */
    private void eventsPerAnswer() throws Exception {
        List<Script> scripts = List.of(new Script("20 chunks, 50 ms apart", "steady", STEADY),
                new Script("20 chunks, 5 ms apart", "burst", BURST),
                new Script("200 chunks, 10 ms apart", "paced-10ms", PACED_10MS),
                new Script("2,000 chunks at once", "many", MANY),
                new Script("12,000 chunks at once", "twelve-thousand", TWELVE_THOUSAND));
        try (RuntimeProcess coalescing = startRuntime(fleet(0));
             RuntimeProcess perDelta = startRuntime(fleet(0), ONE_EVENT_PER_DELTA.toArray(String[]::new))) {
            warmUp(coalescing);
            warmUp(perDelta);
            System.out.printf("%n### Events per answer: text coalesced (as shipped) / one event per delta (%s)%n%n",
                    String.join(" ", ONE_EVENT_PER_DELTA));
            System.out.println("| upstream answer | text events per answer | added ms per chunk (mean) | "
                    + "server CPU per answer, 100 at once (ms) |");
            System.out.println("| --- | --- | --- | --- |");
            for (Script script : scripts) {
                List<EventsRow> on = new ArrayList<>();
                List<EventsRow> off = new ArrayList<>();
                for (int round = 0; round < 3; round++) {
                    on.add(eventsRow(server(coalescing, "runtime", ""), script));
                    off.add(eventsRow(server(perDelta, "runtime", ""), script));
                }
                System.out.printf("| %s | %,.0f / %,.0f | %.1f / %.1f | %.2f / %.2f |%n", script.label(),
                        median(on, EventsRow::textEvents), median(off, EventsRow::textEvents),
                        median(on, EventsRow::addedMillisPerChunk), median(off, EventsRow::addedMillisPerChunk),
                        median(on, EventsRow::cpuMillis), median(off, EventsRow::cpuMillis));
            }
        }
    }

    private EventsRow eventsRow(PoeServer server, Script script) {
        List<Stream> direct = Flux.range(0, 20).concatMap(i -> direct(script.model())).collectList().block();
        List<Stream> relayed = Flux.range(0, 20).concatMap(i -> relayed(server, script.bot())).collectList().block();
        double cpuBefore = server.cpuMillis();
        int answers = 200;
        Flux.range(0, answers).flatMap(i -> relayed(server, script.bot()), 100).blockLast();
        return new EventsRow(mean(relayed, Stream::textEvents),
                mean(relayed, Stream::meanTokenMillis) - mean(direct, Stream::meanTokenMillis),
                (server.cpuMillis() - cpuBefore) / answers);
    }

    private static double median(List<EventsRow> rows, java.util.function.ToDoubleFunction<EventsRow> value) {
        return median(rows.stream().map(row -> value.applyAsDouble(row)).toList());
    }

    private static double mean(List<Stream> streams, java.util.function.ToDoubleFunction<Stream> value) {
        return streams.stream().mapToDouble(value).average().orElse(Double.NaN);
    }

    /** A fresh runtime holds more and more streams of {@code bot}; RSS is read after a full collection. */
    private void openStreams(String bot, String transport, int maxOpenStreams) throws Exception {
        System.out.printf("%n### Open streams held by the runtime (%s, %s; each stream has had its first token and is "
                + "waiting for the next)%n%n", transport, options());
        System.out.println("| open streams | errors | first token p50 / p99 (ms) | runtime RSS (MiB) "
                + "| heap after GC (MiB) | threads | open files |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- |");
        try (RuntimeProcess runtime = startRuntime(fleet(0))) {
            warmUp(runtime);
            printOpenStreamsRow(runtime, 0, new Sample());
            List<Integer> steps = new ArrayList<>(IntStream.of(1_000, 2_500, 5_000)
                    .filter(step -> step < maxOpenStreams).boxed().toList());
            steps.add(maxOpenStreams);
            for (int streams : steps) {
                Disposable.Composite held = Disposables.composite();
                try {
                    printOpenStreamsRow(runtime, streams, hold(runtime.botUrl(bot), streams, held));
                } finally {
                    held.dispose();
                }
                Thread.sleep(3_000);
            }
        }
    }

    /** The anchor holds 1,000 streams, as the runtime does in {@link #openStreams}; its RSS beside the runtime's. */
    private void anchorOpenStreams() throws Exception {
        System.out.printf("%n### Open streams held by the fastapi_poe anchor%n%n");
        System.out.println("| uvicorn workers | open streams | errors | first token p50 / p99 (ms) "
                + "| RSS idle / with the streams open (MiB) |");
        System.out.println("| --- | --- | --- | --- | --- |");
        for (int workers : List.of(1, 2)) {
            try (AnchorProcess anchor = new AnchorProcess(upstream.baseUrl(), BENCH_BOTS, workers)) {
                double idle = anchor.rssMiB();
                Disposable.Composite held = Disposables.composite();
                try {
                    Sample opened = hold(anchor.botUrl("hold"), 1_000, held);
                    System.out.printf("| %d | 1,000 | %d | %.1f / %.1f | %.0f / %.0f |%n", workers, opened.errors,
                            opened.p(50), opened.p(99), idle, anchor.rssMiB());
                } finally {
                    held.dispose();
                }
            }
        }
    }

    /** Opens {@code streams} streams of {@code botUrl}, 1,000 at a time, held in {@code held} after their first token. */
    private Sample hold(String botUrl, int streams, Disposable.Composite held) {
        Sample opened = new Sample();
        opened.add(Flux.range(0, streams).flatMap(i -> attempt(() -> client
                .firstToken(botUrl, QUERY, held).timeout(Duration.ofMinutes(2))), 1_000));
        return opened;
    }

    private static void printOpenStreamsRow(RuntimeProcess runtime, int streams, Sample opened) throws Exception {
        double heap = runtime.heapAfterGcMiB();
        String firstToken = streams == 0 ? "" : String.format("%.1f / %.1f", opened.p(50), opened.p(99));
        System.out.printf("| %,d | %d | %s | %.0f | %.0f | %d | %,d |%n", streams, opened.errors, firstToken,
                runtime.rssMiB(), heap, runtime.threads(), runtime.openFiles());
    }

    /** Idle memory with more and more bots configured. */
    private void configuredBots() throws Exception {
        System.out.printf("%n### Idle runtime by number of configured bots (%s)%n%n", options());
        System.out.println("| configured bots | start-up to readiness (ms) | RSS (MiB) | heap after GC (MiB) |");
        System.out.println("| --- | --- | --- | --- |");
        for (int bots : List.of(0, 1_000, 10_000)) {
            try (RuntimeProcess runtime = startRuntime(fleet(bots))) {
                Thread.sleep(2_000);
                System.out.printf("| %,d | %d | %.0f | %.0f |%n", bots + 2 * BENCH_BOTS.size(),
                        runtime.startupMillis(), runtime.rssMiB(),
                        runtime.heapAfterGcMiB());
            }
        }
    }

    /**
     * Start-up in the layouts the runtime can ship in: the fat jar, the extracted jar (the layout of the Jib image
     * too: classes and a directory of jars), and the extracted jar with an AppCDS archive from a training run.
     */
    private void startup() throws Exception {
        System.out.println("\n### Start-up, `java` to readiness (median of 5; one provider and bot; no JVM options "
                + "but those shown)\n");
        System.out.println("| layout | start-up to readiness (ms) |");
        System.out.println("| --- | --- |");
        Path manifests = fleet(0);
        Path extracted = Files.createTempDirectory("bench-extracted");
        run(List.of("-Djarmode=tools", "-jar", RuntimeProcess.JAR.toString(), "extract", "--destination",
                extracted.toString()));
        Path jar = extracted.resolve("bot-runtime.jar");
        Path archive = extracted.resolve("bot-runtime.jsa");
        run(List.of("-XX:ArchiveClassesAtExit=" + archive, "-Dspring.context.exit=onRefresh", "-jar", jar.toString(),
                "--manifests=" + manifests));
        String cds = "-XX:SharedArchiveFile=" + archive;
        printStartupRow("fat jar: `java -jar bot-runtime.jar`", manifests, List.of(), RuntimeProcess.JAR);
        printStartupRow("extracted (`-Djarmode=tools extract`), as in the image", manifests, List.of(), jar);
        printStartupRow("extracted + AppCDS archive (`" + cds.replace(archive.toString(), "app.jsa") + "`)",
                manifests, List.of(cds), jar);
        printStartupRow("extracted + AppCDS + `-XX:TieredStopAtLevel=1`", manifests,
                List.of(cds, "-XX:TieredStopAtLevel=1"), jar);
        ShippedRuntime shipped = ShippedRuntime.read();
        printStartupRow("extracted, as the operator's Deployment starts it (`" + shipped.describe() + "`)", manifests,
                shipped.jvmOptions(), jar, shipped.arguments(), shipped.environment());
        for (int workers : List.of(1, 2)) {
            List<Double> times = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                try (AnchorProcess anchor = new AnchorProcess(upstream.baseUrl(), BENCH_BOTS, workers)) {
                    times.add((double) anchor.startupMillis());
                }
            }
            System.out.printf("| the fastapi_poe anchor, %d uvicorn worker(s), to answering HTTP | %.0f |%n", workers,
                    median(times));
        }
    }

    private static void printStartupRow(String layout, Path manifests, List<String> options, Path jar)
            throws Exception {
        printStartupRow(layout, manifests, options, jar, List.of(), Map.of());
    }

    private static void printStartupRow(String layout, Path manifests, List<String> options, Path jar,
                                        List<String> arguments, Map<String, String> environment) throws Exception {
        List<String> launch = new ArrayList<>(List.of("-jar", jar.toString()));
        launch.addAll(arguments);
        List<Double> times = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            try (RuntimeProcess runtime = RuntimeProcess.start(manifests, options, launch, environment)) {
                times.add((double) runtime.startupMillis());
            }
        }
        System.out.printf("| %s | %.0f |%n", layout, median(times));
    }

    private static void run(List<String> javaArguments) throws Exception {
        List<String> command = new ArrayList<>(List.of(RuntimeProcess.java()));
        command.addAll(javaArguments);
        int exit = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start().waitFor();
        if (exit != 0) {
            throw new IllegalStateException(command + " exited with " + exit);
        }
    }

    private Mono<Stream> direct(String model) {
        return client.stream(upstream.baseUrl() + "/chat/completions", "{\"model\":\"" + model
                + "\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    }

    private Mono<Stream> relayed(PoeServer server, String bot) {
        return client.stream(server.botUrl(bot), QUERY);
    }

    /** The result, or empty if it failed: failures are counted, not thrown. */
    private static <T> Mono<Optional<T>> attempt(Supplier<Mono<T>> one) {
        return Mono.defer(one).map(Optional::of).onErrorResume(e -> Mono.just(Optional.empty()));
    }

    /** The middle value of an odd number of values. */
    private static double median(List<Double> values) {
        return values.stream().sorted().toList().get(values.size() / 2);
    }

    private static void printLatencyRow(String label, Sample direct, Sample relayed, String... more) {
        System.out.printf("| %s | %.1f / %.1f | %.1f / %.1f | %.1f / %.1f | %d |%s%n", label, direct.p(50),
                direct.p(99), relayed.p(50), relayed.p(99), relayed.p(50) - direct.p(50),
                relayed.p(99) - direct.p(99), direct.errors + relayed.errors, String.join("", more));
    }

    /** The bench provider, one bot per upstream script, and {@code fillers} more bots as a fleet would have. */
    private Path fleet(int fillers) throws Exception {
        StringBuilder yaml = new StringBuilder("""
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMProvider
                metadata: {name: bench}
                spec:
                  baseUrl: %s
                  defaultModel: %s
                  timeout: 15m
                ---
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMProvider
                metadata: {name: bench-h2}
                spec:
                  baseUrl: %1$s
                  defaultModel: %2$s
                  timeout: 15m
                  httpVersion: http2
                """.formatted(upstream.baseUrl(), BURST));
        BENCH_BOTS.forEach((name, model) -> yaml.append(bot(name, "bench", model)));
        BENCH_BOTS.forEach((name, model) -> yaml.append(bot(name + "-h2", "bench-h2", model)));
        yaml.append(bot("counted", "bench", STEADY)).append("""
                  limits: {requestsPerMinutePerUser: 100000, concurrentAnswersPerUser: 1000, concurrentAnswers: 100000}
                  budgets: {tokensPerDay: 1000000000000, tokensPerDayPerUser: 1000000000000,
                            tokensPerMinute: 1000000000000}
                """);
        for (int i = 0; i < fillers; i++) {
            yaml.append(bot("bot-%05d".formatted(i), "bench", BURST));
        }
        Path file = Files.createTempFile("bench-fleet", ".yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private static String bot(String name, String provider, String model) {
        return """
                ---
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {name: %s}
                spec:
                  providerRef: {name: %s}
                  model: %s
                  description: A benchmark bot that answers from the bench provider.
                  systemPrompt: You are a concise assistant for the platform team. Answer in plain English, cite the runbook when you can, and never invent commands.
                  temperature: 0.7
                  maxTokens: 512
                """.formatted(name, provider, model);
    }

    /** Latencies in ms and the number of streams that failed. */
    private static final class Sample {
        private final List<Double> values = new ArrayList<>();
        private int errors;

        void addFirstTokens(Flux<Optional<Stream>> streams) {
            add(streams.map(stream -> stream.map(Stream::firstTokenMillis)));
        }

        void add(Flux<Optional<Double>> results) {
            for (Optional<Double> result : results.collectList().block()) {
                result.ifPresentOrElse(values::add, () -> errors++);
            }
        }

        double p(int percentile) {
            if (values.isEmpty()) {
                return Double.NaN;
            }
            List<Double> sorted = values.stream().sorted().toList();
            return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1));
        }
    }
}
