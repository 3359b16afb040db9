package dev.botfleet.cli;

import dev.botfleet.api.validation.ManifestValidator;
import picocli.CommandLine.Command;

import java.util.List;

@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Check manifests offline with the rules the API server applies (the CRD schema and CEL "
                + "rules), and what only the whole set can show: references to providers and Secrets not in the "
                + "files (warnings), models outside a provider's allow-list, duplicate names, runtime groups too "
                + "large for one ConfigMap. Kinds other than LLMProvider and LLMBot are skipped.",
                "Exit code: 0 clean (warnings allowed), 1 errors, 2 unusable input."},
        footer = {"", "Examples:", "  botfleet validate examples/", "  botfleet validate bots/ providers.yaml"})
final class ValidateCommand extends ManifestCommand {

    static final int CLEAN = 0;
    static final int ERRORS = 1;
    static final int UNUSABLE = 2;

    @Override
    int run(ManifestSet manifests) {
        List<Problem> problems = manifests.check(ManifestValidator.forBotfleetCrds());
        problems.forEach(problem -> spec.commandLine().getOut().println(problem));
        long errors = problems.stream().filter(p -> !p.warning()).count();
        spec.commandLine().getErr().printf("%d document(s) checked: %d error(s), %d warning(s)%n",
                manifests.botfleetDocuments().size(), errors, problems.size() - errors);
        return errors == 0 ? CLEAN : ERRORS;
    }
}
