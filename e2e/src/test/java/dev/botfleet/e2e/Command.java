package dev.botfleet.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A command run to completion, its output captured. */
record Command(List<String> arguments, Map<String, String> environment, String input, Duration timeout) {

    /** What a finished command printed and returned. */
    record Result(List<String> arguments, int exitCode, String out, String err) {

        boolean succeeded() {
            return exitCode == 0;
        }

        /** The result, or an error with everything the command printed. */
        Result orFail() {
            if (!succeeded()) {
                throw new AssertionError(this);
            }
            return this;
        }

        @Override
        public String toString() {
            return String.join(" ", arguments) + " exited " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    static Command of(List<String> arguments) {
        return new Command(List.copyOf(arguments), Map.of(), null, Duration.ofMinutes(2));
    }

    Command withInput(String text) {
        return new Command(arguments, environment, text, timeout);
    }

    Command withEnvironment(Map<String, String> variables) {
        return new Command(arguments, variables, input, timeout);
    }

    Command withTimeout(Duration limit) {
        return new Command(arguments, environment, input, limit);
    }

    Result run() {
        try {
            Path out = Files.createTempFile("e2e-out", ".txt");
            Path err = Files.createTempFile("e2e-err", ".txt");
            ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(arguments))
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            builder.environment().putAll(environment);
            Process process = builder.start();
            try (var stdin = process.getOutputStream()) {
                if (input != null) {
                    stdin.write(input.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", arguments) + " did not finish within " + timeout);
            }
            Result result = new Result(arguments, process.exitValue(), Files.readString(out), Files.readString(err));
            Files.delete(out);
            Files.delete(err);
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
