package dev.botfleet.runtime.bench;

import dev.botfleet.testing.RuntimeProcess;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@link BenchUpstream} in a JVM of its own, so the client, the upstream and the runtime each have a process's
 * allowance of open files.
 */
final class UpstreamProcess implements AutoCloseable {

    private final Process process;
    private final String baseUrl;

    UpstreamProcess() throws Exception {
        process = new ProcessBuilder(List.of(RuntimeProcess.java(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path"), BenchUpstream.class.getName()))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String port = out.readLine();
        if (port == null) {
            throw new IllegalStateException("the bench upstream exited with " + process.waitFor());
        }
        baseUrl = BenchUpstream.baseUrl(Integer.parseInt(port.strip()));
    }

    String baseUrl() {
        return baseUrl;
    }

    @Override
    public void close() throws InterruptedException {
        RuntimeProcess.stop(process);
    }
}
