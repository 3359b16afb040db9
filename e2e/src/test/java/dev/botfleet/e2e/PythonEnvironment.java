package dev.botfleet.e2e;

import java.nio.file.Path;
import java.util.List;

/** The virtual environment of e2e/python, with fastapi_poe: built by the build, found here. */
final class PythonEnvironment {

    private static Path python;

    private PythonEnvironment() {
    }

    static synchronized Path python() {
        if (python == null) {
            String venv = Command.of(List.of("bash", ControlPlane.REPO.resolve("e2e/python").toString(), "build"))
                    .withTimeout(java.time.Duration.ofMinutes(5)).run().orFail().out().strip();
            python = Path.of(venv, "bin", "python");
        }
        return python;
    }
}
