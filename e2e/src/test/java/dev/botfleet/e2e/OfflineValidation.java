package dev.botfleet.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code botfleet validate} (the packaged CLI) over manifests, one file each, in one run. */
final class OfflineValidation {

    private static final Path JAR = ControlPlane.REPO.resolve("cli/target/botfleet.jar");
    /** {@code file:line: Kind/name: field: message}, as {@code botfleet validate} prints a finding. */
    private static final Pattern FINDING = Pattern.compile("^.+?:\\d+: (\\w+/[^:]+): (\\S+): (.*)$");

    private OfflineValidation() {
    }

    /** The fields each manifest ({@code Kind/name}) has errors at; manifests without errors are absent. */
    static Map<String, List<String>> fieldsWithErrors(List<Corpus.Manifest> manifests) throws IOException {
        Path dir = Files.createTempDirectory(ControlPlane.WORK, "validate");
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-jar", JAR.toString(), "validate"));
        for (int i = 0; i < manifests.size(); i++) {
            Path file = dir.resolve(i + "-" + manifests.get(i).name() + ".yaml");
            Files.writeString(file, manifests.get(i).yaml());
            command.add(file.toString());
        }
        Command.Result result = Command.of(command).run();
        requireUsable(result);
        Map<String, List<String>> errors = new HashMap<>();
        for (String line : result.out().lines().toList()) {
            Matcher finding = FINDING.matcher(line);
            if (finding.matches() && !finding.group(3).startsWith("warning:")) {
                errors.computeIfAbsent(finding.group(1), key -> new ArrayList<>()).add(finding.group(2));
            }
        }
        return errors;
    }

    private static void requireUsable(Command.Result result) {
        if (result.exitCode() > 1) {
            throw new AssertionError("botfleet validate could not be used: " + result);
        }
    }
}
