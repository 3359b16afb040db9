package dev.botfleet.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.botfleet.api.BaseParameterControl;
import dev.botfleet.api.GroupConfig;
import dev.botfleet.api.LLMBot;
import dev.botfleet.api.LLMProvider;
import dev.botfleet.api.LLMProviderSpec;
import dev.botfleet.api.ParameterCondition;
import dev.botfleet.api.ParameterControl;
import dev.botfleet.api.ParameterControls;
import dev.botfleet.api.ParameterValues;
import dev.botfleet.api.PoeBotSettings;
import dev.botfleet.api.ProviderTarget;
import dev.botfleet.api.SecretKeyRef;
import dev.botfleet.api.manifest.ManifestDocument;
import dev.botfleet.api.manifest.ManifestProblem;
import dev.botfleet.api.manifest.Manifests;
import dev.botfleet.api.validation.ManifestValidator;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The botfleet documents found under some paths, and the checks that need them all: the API server's own rules
 * per document, then references, model allow-lists, duplicate names and runtime group sizes across the set.
 */
public final class ManifestSet {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Manifests manifests;

    private ManifestSet(Manifests manifests) {
        this.manifests = manifests;
    }

    /** Reads files and directories, as {@link Manifests#read} does for the runtime. */
    public static ManifestSet read(List<Path> paths) {
        return new ManifestSet(Manifests.read(paths));
    }

    /** The botfleet documents, in file order; other kinds are skipped. */
    public List<ManifestDocument> botfleetDocuments() {
        return manifests.botfleetDocuments();
    }

    /** The LLMProvider of {@code namespace} named {@code name}, if the set has it; only after a clean check. */
    public Optional<LLMProviderSpec> providerSpec(String namespace, String name) {
        return botfleetDocuments().stream()
                .filter(d -> d.kind().equals(LLMProvider.KIND) && d.namespace().equals(namespace)
                        && d.name().equals(name))
                .findFirst().map(d -> convert(d, LLMProvider.class).getSpec());
    }

    /** The LLMBots, in file order; only for a set whose {@link #check} found no error. */
    public List<LLMBot> bots() {
        return botfleetDocuments().stream().filter(d -> d.kind().equals(LLMBot.KIND))
                .map(d -> convert(d, LLMBot.class)).toList();
    }

    public List<Problem> check(ManifestValidator validator) {
        List<ManifestProblem> invalid = manifests.problems(validator::validate);
        List<Problem> problems = new ArrayList<>(invalid.stream().map(Problem::error).toList());
        Set<ManifestDocument> judged = Collections.newSetFromMap(new IdentityHashMap<>());
        invalid.forEach(problem -> judged.add(problem.document()));
        Map<String, LLMProvider> providers = new HashMap<>();
        Map<String, ManifestDocument> bots = new LinkedHashMap<>();
        for (ManifestDocument document : botfleetDocuments()) {
            if (judged.contains(document)) {
                continue;
            }
            if (document.kind().equals(LLMProvider.KIND)) {
                providers.put(document.namespace() + "/" + document.name(), convert(document, LLMProvider.class));
            } else if (document.kind().equals(LLMBot.KIND)) {
                bots.put(document.namespace() + "/" + document.name(), document);
            }
        }
        Set<String> secrets = manifests.ofKind("Secret").stream()
                .map(d -> d.namespace() + "/" + d.name()).collect(Collectors.toSet());
        for (ManifestDocument document : botfleetDocuments()) {
            if (document.kind().equals(LLMProvider.KIND) && providers.containsKey(document.namespace() + "/" + document.name())) {
                secretReference(document, convert(document, LLMProvider.class).getSpec().getApiKeySecretRef(),
                        "spec.apiKeySecretRef.name", secrets, problems);
            }
        }
        Map<String, List<LLMBot>> groups = new LinkedHashMap<>();
        Map<String, ManifestDocument> botDocuments = new HashMap<>();
        for (ManifestDocument document : bots.values()) {
            LLMBot bot = convert(document, LLMBot.class);
            botDocuments.put(document.namespace() + "/" + document.name(), document);
            groups.computeIfAbsent(document.namespace() + "/" + bot.getSpec().effectiveRuntime(), g -> new ArrayList<>())
                    .add(bot);
            references(document, bot, providers, problems);
            Function<String, Optional<LLMProviderSpec>> botsProviders = name ->
                    Optional.ofNullable(providers.get(document.namespace() + "/" + name)).map(LLMProvider::getSpec);
            bot.getSpec().missingAccessKey(botsProviders)
                    .ifPresent(missing -> problems.add(Problem.error(document, "spec.accessKeySecretRef", missing)));
            PoeBotSettings.of(bot.getSpec(), botsProviders).callLimitExceeded()
                    .ifPresent(exceeded -> problems.add(Problem.error(document, "spec.poe.serverBotDependencies",
                            exceeded)));
            secretReference(document, bot.getSpec().getAccessKeySecretRef(), "spec.accessKeySecretRef.name", secrets,
                    problems);
            parameterValues(document, bot, problems);
        }
        groups.forEach((group, members) -> {
            String namespace = group.substring(0, group.indexOf('/'));
            GroupConfig config = GroupConfig.render(members,
                    name -> Optional.ofNullable(providers.get(namespace + "/" + name)));
            for (String name : config.tooLarge()) {
                problems.add(Problem.error(botDocuments.get(namespace + "/" + name), "spec.runtime",
                        "runtime group '" + group.substring(group.indexOf('/') + 1) + "' would exceed the "
                                + GroupConfig.MAX_BYTES + "-byte ConfigMap limit with this bot; give it another group"));
            }
        });
        return problems;
    }

    private static void references(ManifestDocument document, LLMBot bot, Map<String, LLMProvider> providers,
                                   List<Problem> problems) {
        List<ProviderTarget> targets = bot.getSpec().targets();
        boolean primary = bot.getSpec().getProviderRef() != null;
        for (int i = 0; i < targets.size(); i++) {
            String field = primary && i == 0 ? "spec." : "spec.fallbacks[" + (primary ? i - 1 : i) + "].";
            model(document, field + "providerRef.name", field + "model", targets.get(i).providerName(),
                    targets.get(i).model(), providers, problems);
        }
        List<String> choices = bot.getSpec().parameterModels();
        for (int i = 0; primary && i < choices.size(); i++) {
            model(document, "spec.providerRef.name", "spec.parameters.model.models[" + i + "]",
                    targets.get(0).providerName(), choices.get(i), providers, problems);
        }
    }

    private static void model(ManifestDocument document, String providerField, String modelField,
                              String providerName, String model, Map<String, LLMProvider> providers,
                              List<Problem> problems) {
        LLMProvider provider = providers.get(document.namespace() + "/" + providerName);
        if (provider == null) {
            problems.add(Problem.warning(document, providerField, "LLMProvider '" + providerName
                    + "' is not in these files (it may exist in the cluster)"));
        } else if (model != null) {
            provider.getSpec().modelRefusal(providerName, model)
                    .ifPresent(refusal -> problems.add(Problem.error(document, modelField, refusal)));
        }
    }

    /** The values of parameter controls the API server admits as any JSON, but Poe would not take as they are. */
    private static void parameterValues(ManifestDocument document, LLMBot bot, List<Problem> problems) {
        ParameterControls controls = bot.getSpec().getPoe() == null ? null
                : bot.getSpec().getPoe().getParameterControls();
        if (controls == null) {
            return;
        }
        for (int s = 0; s < controls.getSections().size(); s++) {
            ParameterControls.Section section = controls.getSections().get(s);
            String at = "spec.poe.parameterControls.sections[" + s + "]";
            controlValues(document, section.getControls(), at + ".controls", problems);
            List<ParameterControls.Tab> tabs = section.getTabs() == null ? List.of() : section.getTabs();
            for (int t = 0; t < tabs.size(); t++) {
                controlValues(document, tabs.get(t).getControls(), at + ".tabs[" + t + "].controls", problems);
            }
        }
    }

    private static void controlValues(ManifestDocument document, List<? extends BaseParameterControl> controls,
                                      String at, List<Problem> problems) {
        for (int i = 0; controls != null && i < controls.size(); i++) {
            BaseParameterControl control = controls.get(i);
            String kind = JSON.convertValue(control.getControl(), String.class);
            if (control.getDefaultValue() != null && ParameterValues.defaultFor(kind, control.getDefaultValue()) == null) {
                problems.add(Problem.warning(document, at + "[" + i + "].defaultValue", "a " + kind + "'s default must "
                        + "be " + switch (kind) {
                            case "toggle_switch" -> "a boolean";
                            case "slider" -> "a number";
                            default -> "a string";
                        } + "; this one is left out of what Poe is sent"));
            }
            if (control instanceof ParameterControl full && full.getCondition() != null) {
                operand(document, full.getCondition().getLeft(), at + "[" + i + "].condition.left", problems);
                operand(document, full.getCondition().getRight(), at + "[" + i + "].condition.right", problems);
                controlValues(document, full.getControls(), at + "[" + i + "].controls", problems);
            }
        }
    }

    private static void operand(ManifestDocument document, ParameterCondition.Operand operand, String at,
                                List<Problem> problems) {
        if (operand.getParameterName() != null && operand.getLiteral() != null) {
            problems.add(Problem.warning(document, at + ".literal", "the parameterName is compared, not this literal"));
        } else if (operand.getParameterName() == null && (operand.getLiteral() == null
                || !operand.getLiteral().isValueNode() || operand.getLiteral().isNull())) {
            problems.add(Problem.warning(document, at + ".literal", "an operand needs a parameterName or a string, "
                    + "number or boolean literal; Poe is sent " + ParameterValues.literal(operand.getLiteral())));
        }
    }

    private static void secretReference(ManifestDocument document, SecretKeyRef ref, String field,
                                        Set<String> secrets, List<Problem> problems) {
        if (ref != null && !secrets.contains(document.namespace() + "/" + ref.getName())) {
            problems.add(Problem.warning(document, field, "Secret '" + ref.getName()
                    + "' is not in these files (it may exist in the cluster)"));
        }
    }

    private static <T> T convert(ManifestDocument document, Class<T> type) {
        try {
            return JSON.treeToValue(document.node(), type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a document that passed validation cannot be read as " + type.getSimpleName(), e);
        }
    }
}
