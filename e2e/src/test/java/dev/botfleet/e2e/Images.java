package dev.botfleet.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;

/**
 * botfleet's two images, built once per test run by the images profile with the Jib configuration users get; only
 * the base differs: one made from Debian's packages ({@code e2e/images base}), as no registry is reachable here.
 */
record Images(Path runtime, Path operator, Path customBot) {

    private static Images built;

    static synchronized Images built() throws IOException {
        if (built == null) {
            Path base = Path.of(script("base"));
            long started = System.nanoTime();
            Command.of(List.of(ControlPlane.REPO.resolve("mvnw").toString(), "-B", "-q", "-f",
                            ControlPlane.REPO.resolve("pom.xml").toString(), "-DskipTests", "-P", "images,!mutation",
                            "-Djib.base.image=tar://" + base, "-pl", "bot-runtime,operator", "-am", "package"))
                    .withTimeout(Duration.ofMinutes(20)).run().orFail();
            // docs/handlers.md's second command: the custom-bot example onto the runtime image just built.
            Command.of(List.of(ControlPlane.REPO.resolve("mvnw").toString(), "-B", "-q", "-f",
                            ControlPlane.REPO.resolve("pom.xml").toString(), "-DskipTests", "-P", "images,!mutation",
                            "-Djib.skip=false", "-pl", "examples/custom-bot", "-am", "package"))
                    .withTimeout(Duration.ofMinutes(10)).run().orFail();
            figure("images built with Jib onto the Debian base: " + (System.nanoTime() - started) / 1_000_000_000
                    + " s");
            built = new Images(ControlPlane.REPO.resolve("bot-runtime/target/bot-runtime-image.tar"),
                    ControlPlane.REPO.resolve("operator/target/operator-image.tar"),
                    ControlPlane.REPO.resolve("examples/custom-bot/target/example-custom-bot-image.tar"));
        }
        return built;
    }

    /** Runs {@code e2e/images <subcommand>}; returns what it printed. */
    static String script(String subcommand) {
        return Command.of(List.of("bash", ControlPlane.REPO.resolve("e2e/images").toString(), subcommand))
                .withTimeout(Duration.ofMinutes(20)).run().orFail().out().strip();
    }

    /** The repository of an image name, without its tag. */
    static String repository(String image) {
        return image.substring(0, image.lastIndexOf(':'));
    }

    /** Prints a figure and appends it to target/e2e/figures.md; never fails on time. */
    static void figure(String line) throws IOException {
        System.out.println(line);
        Files.createDirectories(ControlPlane.WORK);
        Files.writeString(ControlPlane.WORK.resolve("figures.md"), "- " + line + "\n", StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }
}
