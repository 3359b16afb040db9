package dev.botfleet.cli;

import dev.botfleet.api.LLMBot;
import dev.botfleet.api.PoeBotSettings;
import dev.botfleet.api.SecretKeyRef;
import dev.botfleet.api.poe.PoeApi;
import dev.botfleet.api.validation.ManifestValidator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

@Command(name = "sync-settings", mixinStandardHelpOptions = true,
        description = {"Push the settings of the bots with spec.poe.botName to Poe, as the operator does in a "
                + "cluster: the same body, to Poe's update_settings with each bot's access key.",
                "The access key comes from --key, or from the environment variable the runtime reads it from "
                        + "(<SECRET>_<KEY>, e.g. POE_ACCESS_KEY for Secret 'poe', key 'access-key')."},
        footer = {"", "Example:", "  POE_ACCESS_KEY=... botfleet sync-settings examples/quickstart.yaml --bot assistant"})
final class SyncSettingsCommand extends ManifestCommand {

    @Option(names = "--bot", paramLabel = "NAME", description = "Only this bot (repeatable); default: every bot "
            + "with spec.poe.botName.")
    private List<String> only;

    @Option(names = "--key", paramLabel = "KEY", description = "The Poe access key, for every bot pushed; default: "
            + "each bot's from the environment.")
    private String key;

    @Option(names = "--poe-api", paramLabel = "URL", defaultValue = PoeApi.DEFAULT_BASE_URL,
            description = "Poe's bot API (default: ${DEFAULT-VALUE}).")
    private String poeApi;

    @Option(names = "--dry-run", description = "Print what would be pushed, without calling Poe.")
    private boolean dryRun;

    @Override
    int run(ManifestSet manifests) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<Problem> errors = manifests.check(ManifestValidator.forBotfleetCrds()).stream()
                .filter(problem -> !problem.warning()).toList();
        if (!errors.isEmpty()) {
            errors.forEach(err::println);
            err.println("botfleet: nothing pushed: the manifests have " + errors.size() + " error(s)");
            return ValidateCommand.ERRORS;
        }
        List<LLMBot> bots = manifests.bots().stream()
                .filter(bot -> bot.getSpec().getPoe() != null && bot.getSpec().getPoe().getBotName() != null)
                .filter(bot -> only == null || only.contains(bot.getMetadata().getName()))
                .toList();
        if (bots.isEmpty()) {
            err.println("botfleet: no bot with spec.poe.botName" + (only == null ? "" : " named " + only));
            return 1;
        }
        PoeApi api = new PoeApi(poeApi, Duration.ofSeconds(10));
        int failed = 0;
        for (LLMBot bot : bots) {
            String name = bot.getMetadata().getName();
            String botName = bot.getSpec().getPoe().getBotName();
            String namespace = bot.getMetadata().getNamespace() == null ? "" : bot.getMetadata().getNamespace();
            PoeBotSettings settings = PoeBotSettings.of(bot.getSpec(),
                    provider -> manifests.providerSpec(namespace, provider));
            if (dryRun) {
                out.println(name + " -> Poe bot " + botName + ": " + settings.json());
                continue;
            }
            Optional<String> accessKey = accessKey(bot.getSpec().getAccessKeySecretRef());
            if (accessKey.isEmpty()) {
                err.println(name + ": no access key: " + (bot.getSpec().getAccessKeySecretRef() == null
                        ? "the bot has no accessKeySecretRef; pass --key"
                        : "set " + bot.getSpec().getAccessKeySecretRef().environmentVariable() + " or pass --key"));
                failed++;
                continue;
            }
            PoeApi.Outcome outcome = api.updateSettings(botName, accessKey.get(), settings).join();
            if (outcome instanceof PoeApi.Outcome.Synced) {
                out.println(name + ": settings " + settings.hash() + " synced to Poe bot " + botName);
            } else {
                err.println(name + ": not synced to Poe bot " + botName + ": " + explanation(outcome));
                failed++;
            }
        }
        return failed == 0 ? 0 : 1;
    }

    private Optional<String> accessKey(SecretKeyRef ref) {
        if (key != null && !key.isBlank()) {
            return Optional.of(key.strip());
        }
        return ref == null ? Optional.empty()
                : Optional.ofNullable(System.getenv(ref.environmentVariable())).map(String::strip)
                .filter(value -> !value.isEmpty());
    }

    private static String explanation(PoeApi.Outcome outcome) {
        return outcome instanceof PoeApi.Outcome.Refused refused ? "Poe refused them (" + refused.explanation() + ")"
                : "cannot reach Poe (" + ((PoeApi.Outcome.Unreachable) outcome).explanation() + ")";
    }
}
