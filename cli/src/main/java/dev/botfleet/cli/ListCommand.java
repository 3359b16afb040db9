package dev.botfleet.cli;

import dev.botfleet.api.manifest.ManifestDocument;
import dev.botfleet.api.BotRuntime;
import dev.botfleet.api.LLMBot;
import dev.botfleet.api.LLMProvider;
import picocli.CommandLine.Command;

import java.util.ArrayList;
import java.util.List;

@Command(name = "list", mixinStandardHelpOptions = true, description = "List the providers and bots found in manifests.",
        footer = {"", "Example:", "  botfleet list examples/"})
final class ListCommand extends ManifestCommand {

    @Override
    int run(ManifestSet manifests) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"KIND", "NAME", "PROVIDER", "MODEL", "RUNTIME"});
        for (ManifestDocument document : manifests.botfleetDocuments()) {
            var fields = document.node().path("spec");
            if (document.kind().equals(BotRuntime.KIND)) {
                continue;
            }
            if (document.kind().equals(LLMProvider.KIND)) {
                rows.add(new String[] {LLMProvider.KIND, document.name(), "-", fields.path("defaultModel").asText("-"), "-"});
            } else {
                boolean usesProvider = fields.has("providerRef");
                rows.add(new String[] {LLMBot.KIND, document.name(), fields.path("providerRef").path("name").asText("-"),
                        fields.path("model").asText(usesProvider ? "(provider default)" : "-"),
                        fields.path("runtime").asText("default")});
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
            spec.commandLine().getOut().println(line.toString().stripTrailing());
        }
        return 0;
    }
}
