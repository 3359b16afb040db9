package dev.botfleet.runtime.bench;

import dev.botfleet.testing.RuntimeProcess;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The seed plan's stack as the benchmark's anchor: {@code bench/anchor/anchor_bot.py}, a fastapi_poe bot on uvicorn
 * relaying through openai-python, with {@code workers} uvicorn worker processes, in a virtual environment
 * {@code e2e/python} builds from PyPI.
 */
final class AnchorProcess implements PoeServer, AutoCloseable {

    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    private final Process process;
    private final int port;
    private final int workers;
    private final long startupMillis;

    AnchorProcess(String upstreamBaseUrl, Map<String, String> bots, int workers) throws Exception {
        this.workers = workers;
        port = RuntimeProcess.freePort();
        Path python = Path.of(run("bash", REPO.resolve("e2e/python").toString(), "build",
                REPO.resolve("bench/anchor/requirements.txt").toString()), "bin", "python");
        ProcessBuilder builder = new ProcessBuilder(python.toString(), "anchor_bot.py", String.valueOf(port),
                String.valueOf(workers))
                .directory(REPO.resolve("bench/anchor").toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("ANCHOR_UPSTREAM", upstreamBaseUrl);
        builder.environment().put("ANCHOR_BOTS", bots.entrySet().stream()
                .map(bot -> bot.getKey() + "=" + bot.getValue()).collect(Collectors.joining(",")));
        long start = System.nanoTime();
        process = builder.start();
        String probe = botUrl(bots.keySet().iterator().next());
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!RuntimeProcess.answersOk(probe)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("the anchor did not start (exit " + (process.isAlive() ? "-"
                        : process.exitValue()) + ")");
            }
            Thread.sleep(10);
        }
        startupMillis = (System.nanoTime() - start) / 1_000_000;
    }

    /** From starting the Python process to its first bot answering a GET. */
    long startupMillis() {
        return startupMillis;
    }

    private static String run(String... command) throws Exception {
        Process build = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(build.getInputStream().readAllBytes()).strip();
        if (build.waitFor() != 0) {
            throw new IllegalStateException(List.of(command) + " failed");
        }
        return out;
    }

    @Override
    public String label() {
        return "fastapi_poe anchor, " + workers + " worker" + (workers == 1 ? "" : "s");
    }

    @Override
    public String botUrl(String bot) {
        return "http://127.0.0.1:" + port + "/bots/" + bot;
    }

    /** The uvicorn process and its workers together. */
    @Override
    public double cpuMillis() {
        return tree().mapToDouble(handle -> handle.info().totalCpuDuration().map(Duration::toNanos).orElse(0L) / 1e6)
                .sum();
    }

    @Override
    public double kernelCpuMillis() {
        return tree().mapToDouble(handle -> RuntimeProcess.kernelCpuMillis(handle.pid())).sum();
    }

    /** Resident set size of the uvicorn process and its workers, in MiB. */
    double rssMiB() {
        return tree().mapToDouble(handle -> {
            try {
                return RuntimeProcess.rssMiB(handle.pid());
            } catch (IOException gone) {
                return 0;
            }
        }).sum();
    }

    private Stream<ProcessHandle> tree() {
        return Stream.concat(Stream.of(process.toHandle()), process.descendants());
    }

    @Override
    public void close() throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroy);
        RuntimeProcess.stop(process);
    }
}
