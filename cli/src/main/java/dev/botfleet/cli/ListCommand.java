package dev.botfleet.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "list", mixinStandardHelpOptions = true, description = "List the providers and bots found in manifests.",
        footer = {"", "Example:", "  botfleet list examples/"})
final class ListCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Files or directories of YAML manifests.")
    private List<Path> paths;

    @Override
    public Integer call() {
        ManifestSet manifests;
        try {
            manifests = ManifestSet.read(paths);
        } catch (ManifestFile.UnusableException e) {
            spec.commandLine().getErr().println(e.getMessage());
            return ValidateCommand.UNUSABLE;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"KIND", "NAME", "PROVIDER", "MODEL", "RUNTIME"});
        for (ManifestFile.Document document : manifests.botfleetDocuments()) {
            var spec = document.node().path("spec");
            if (document.kind().equals("BotRuntime")) {
                continue;
            }
            if (document.kind().equals("LLMProvider")) {
                rows.add(new String[] {"LLMProvider", document.name(), "-", spec.path("defaultModel").asText("-"), "-"});
            } else {
                rows.add(new String[] {"LLMBot", document.name(), spec.path("providerRef").path("name").asText("-"),
                        spec.path("model").asText("(provider default)"), spec.path("runtime").asText("default")});
            }
        }
        int[] widths = new int[5];
        rows.forEach(row -> {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        });
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i == row.length - 1 ? row[i] : String.format("%-" + (widths[i] + 3) + "s", row[i]));
            }
            this.spec.commandLine().getOut().println(line.toString().stripTrailing());
        }
        return 0;
    }
}
