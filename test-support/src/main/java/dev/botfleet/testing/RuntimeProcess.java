package dev.botfleet.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The packaged runtime ({@code bot-runtime/target/bot-runtime.jar}) started as a process of its own, as in production. */
public final class RuntimeProcess implements AutoCloseable {

    /** The jar, seen from the bot-runtime module's directory. */
    public static final Path JAR = Path.of("target/bot-runtime.jar");
    /** USER_HZ, the unit of /proc/PID/stat's times: 100 on every Linux architecture the runtime ships for. */
    private static final int CLOCK_TICKS_PER_SECOND = 100;
    private static final String MANAGEMENT_PORT = "--management.server.port=";
    private static final HttpClient PROBE = HttpClient.newHttpClient();

    private final Process process;
    private final int port;
    private final int managementPort;
    private final long startupMillis;
    private final Path log;

    private RuntimeProcess(Process process, int port, int managementPort, long startupMillis, Path log) {
        this.process = process;
        this.port = port;
        this.managementPort = managementPort;
        this.startupMillis = startupMillis;
        this.log = log;
    }

    /** Starts the runtime on {@code manifests} and returns once it reports readiness. */
    public static RuntimeProcess start(Path manifests, List<String> jvmOptions, List<String> launch)
            throws Exception {
        return start(manifests, jvmOptions, launch, Map.of());
    }

    /** As above, with {@code environment} added to the process's environment. */
    public static RuntimeProcess start(Path manifests, List<String> jvmOptions, List<String> launch,
                                       Map<String, String> environment) throws Exception {
        int port = freePort();
        // Health is on the management port when the launch gives one, as the operator's Deployment does.
        int healthPort = launch.stream().filter(argument -> argument.startsWith(MANAGEMENT_PORT))
                .map(argument -> Integer.parseInt(argument.substring(MANAGEMENT_PORT.length()))).findFirst()
                .orElse(port);
        List<String> command = new ArrayList<>();
        command.add(java());
        command.addAll(jvmOptions);
        command.addAll(launch);
        command.addAll(List.of("--manifests=" + manifests, "--server.port=" + port));
        long start = System.nanoTime();
        Path log = Files.createTempFile("bot-runtime", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        RuntimeProcess runtime = null;
        while (runtime == null) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the runtime exited with " + process.exitValue() + "; log: " + log);
            }
            if (ready(healthPort)) {
                runtime = new RuntimeProcess(process, port, healthPort, (System.nanoTime() - start) / 1_000_000,
                        log);
            } else {
                Thread.sleep(10);
            }
        }
        return runtime;
    }

    /** A port nothing listens on at the moment. */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static boolean ready(int port) throws InterruptedException {
        return answersOk("http://127.0.0.1:" + port + "/actuator/health/readiness");
    }

    /** Whether a GET of {@code url} answers 200; false while nothing listens there yet. */
    public static boolean answersOk(String url) throws InterruptedException {
        try {
            return PROBE.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode() == 200;
        } catch (IOException notListeningYet) {
            return false;
        }
    }

    /** Starts the jar with {@code jvmOptions} and those in {@code -Dbench.runtimeJvmOptions}, such as a JFR recording. */
    public static RuntimeProcess startJar(Path manifests, String... jvmOptions) throws Exception {
        List<String> options = new ArrayList<>(List.of(jvmOptions));
        options.addAll(extraJvmOptions());
        return start(manifests, options, List.of("-jar", JAR.toString()));
    }

    /** The options of {@code -Dbench.runtimeJvmOptions}, such as a JFR recording; none when it is not set. */
    public static List<String> extraJvmOptions() {
        String extra = System.getProperty("bench.runtimeJvmOptions", "").strip();
        return extra.isEmpty() ? List.of() : List.of(extra.split("\\s+"));
    }

    /** The {@code java} launcher of the JVM running the benchmark. */
    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The port Poe's requests go to. */
    public int port() {
        return port;
    }

    public String botUrl(String bot) {
        return url("/bots/" + bot);
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** Health and metrics: on the management port when the launch gave one, else on the Poe port. */
    public String managementUrl(String path) {
        return "http://127.0.0.1:" + managementPort + path;
    }

    /** Sends the runtime SIGTERM, as the kubelet does when it stops a pod. */
    public void terminate() {
        process.destroy();
    }

    /** Whether the runtime has exited within {@code limit}. */
    public boolean awaitExit(Duration limit) throws InterruptedException {
        return process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
    }

    public long startupMillis() {
        return startupMillis;
    }

    /** Resident set size in MiB. */
    public double rssMiB() throws IOException {
        return rssMiB(process.pid());
    }

    /** Resident set size of process {@code pid} in MiB. */
    public static double rssMiB(long pid) throws IOException {
        String line = Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                .filter(l -> l.startsWith("VmRSS:")).findFirst().orElseThrow();
        return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
    }

    /** Heap in use after a full collection, in MiB. */
    public double heapAfterGcMiB() throws Exception {
        new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                String.valueOf(process.pid()), "GC.run").redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start().waitFor();
        String metrics = PROBE.send(HttpRequest.newBuilder(URI.create(managementUrl("/actuator/prometheus"))).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return metrics.lines()
                .filter(line -> line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum() / (1 << 20);
    }

    public long pid() {
        return process.pid();
    }

    /** CPU time spent in the kernel on behalf of process {@code pid} so far, in ms (0 once it is gone). */
    public static double kernelCpuMillis(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // Fields after the command name, which is in parentheses and may hold spaces; stime is field 15.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[12]) * 1000.0 / CLOCK_TICKS_PER_SECOND;
        } catch (IOException gone) {
            return 0;
        }
    }

    /** CPU time the runtime has used so far, user and system, in ms. */
    public double cpuMillis() {
        return process.info().totalCpuDuration().orElseThrow().toNanos() / 1e6;
    }

    /** Open file descriptors of the runtime: sockets, jars, the epoll sets. */
    public long openFiles() throws IOException {
        try (var descriptors = Files.list(Path.of("/proc/" + process.pid() + "/fd"))) {
            return descriptors.count();
        }
    }

    public long threads() throws IOException {
        try (var tasks = Files.list(Path.of("/proc/" + process.pid() + "/task"))) {
            return tasks.count();
        }
    }

    /** The runtime's console output, for a failing test's message. */
    public Path log() {
        return log;
    }

    @Override
    public void close() throws InterruptedException {
        stop(process);
    }

    /** Asks {@code process} to end and kills it if it has not within 30 s. */
    public static void stop(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
