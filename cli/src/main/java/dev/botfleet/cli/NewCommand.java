package dev.botfleet.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.botfleet.api.LLMBot;
import dev.botfleet.api.LLMProvider;
import dev.botfleet.api.validation.ManifestValidator;
import dev.botfleet.api.validation.Violation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "new", mixinStandardHelpOptions = true, description = "Print a new manifest that passes 'botfleet validate'.",
        subcommands = {NewCommand.Provider.class, NewCommand.Bot.class})
final class NewCommand implements Runnable {

    /** Every string quoted: an unquoted 2024-10-21 would reach the API server as a timestamp. */
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final String API_VERSION = LLMProvider.API_VERSION;

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Options both kinds share. */
    abstract static class Scaffold implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--name", required = true, description = "metadata.name of the resource.")
        String name;

        @Option(names = "--namespace", description = "metadata.namespace (omit to use kubectl's current one).")
        String namespace;

        @Option(names = {"-o", "--output"}, paramLabel = "FILE",
                description = "Append the manifest to FILE (separated by ---) instead of printing it.")
        Path output;

        abstract ObjectNode spec(ObjectNode spec);

        abstract String kind();

        /** Lines printed above the manifest as YAML comments. */
        List<String> comments() {
            return List.of();
        }

        @Override
        public Integer call() throws IOException {
            ObjectNode document = YAML.createObjectNode().put("apiVersion", API_VERSION).put("kind", kind());
            ObjectNode metadata = document.putObject("metadata").put("name", name);
            if (namespace != null) {
                metadata.put("namespace", namespace);
            }
            spec(document.putObject("spec"));
            List<Violation> violations = ManifestValidator.forBotfleetCrds().validate(document);
            if (!violations.isEmpty()) {
                violations.forEach(v -> spec.commandLine().getErr().println("botfleet: " + v));
                return ValidateCommand.UNUSABLE;
            }
            StringBuilder text = new StringBuilder();
            comments().forEach(line -> text.append("# ").append(line).append('\n'));
            text.append(yaml(document));
            if (output == null) {
                spec.commandLine().getOut().print(text);
            } else {
                boolean append = Files.exists(output) && Files.size(output) > 0;
                Files.writeString(output, (append ? "---\n" : "") + text, StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                spec.commandLine().getErr().println("appended " + kind() + " '" + name + "' to " + output);
            }
            return ValidateCommand.CLEAN;
        }

        private static String yaml(JsonNode document) {
            try {
                return YAML.writeValueAsString(document).replaceFirst("^---\n", "");
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Command(name = "provider", mixinStandardHelpOptions = true,
            description = "A new LLMProvider from a preset, with the kubectl line that creates its Secret.",
            footer = {"", "Examples:", "  botfleet new provider --preset openai --name openai",
                    "  botfleet new provider --preset azure --name azure --base-url "
                            + "https://acme.openai.azure.com/openai/deployments/gpt-4o -o providers.yaml"})
    static final class Provider extends Scaffold {

        @Option(names = "--preset", required = true,
                description = "One of: ${COMPLETION-CANDIDATES}.", converter = PresetConverter.class,
                completionCandidates = PresetNames.class)
        Preset preset;

        @Option(names = "--base-url", description = "Override the preset's base URL.")
        String baseUrl;

        @Option(names = "--default-model", description = "Override the preset's default model.")
        String defaultModel;

        @Option(names = "--secret", description = "Secret holding the API key (default: the provider's name).")
        String secret;

        @Override
        String kind() {
            return LLMProvider.KIND;
        }

        private String secretName() {
            return secret != null ? secret : name;
        }

        @Override
        ObjectNode spec(ObjectNode spec) {
            if (preset.poeBots()) {
                spec.put("protocol", "poe");
            }
            if (baseUrl != null || preset.baseUrl != null) {
                spec.put("baseUrl", baseUrl != null ? baseUrl : preset.baseUrl);
            }
            if (preset.needsKey) {
                spec.putObject("apiKeySecretRef").put("name", secretName()).put("key", "api-key");
            }
            if (preset.apiKeyHeader != null) {
                spec.put("apiKeyHeader", preset.apiKeyHeader);
            }
            spec.put("defaultModel", defaultModel != null ? defaultModel : preset.defaultModel);
            if (!preset.queryParams.isEmpty()) {
                ObjectNode params = spec.putObject("queryParams");
                preset.queryParams.forEach(params::put);
            }
            return spec;
        }

        @Override
        List<String> comments() {
            if (preset.poeBots()) {
                return List.of("The models are Poe bots' names. Each bot that uses this provider calls them with its "
                        + "own access key", "(spec.accessKeySecretRef), so the Poe user's points pay.");
            }
            if (!preset.needsKey) {
                return List.of("No API key needed.");
            }
            return List.of("Create the Secret first:",
                    "  kubectl" + (namespace == null ? "" : " -n " + namespace) + " create secret generic "
                            + secretName() + " --from-literal=api-key=...",
                    "  kubectl" + (namespace == null ? "" : " -n " + namespace) + " label secret " + secretName()
                            + " botfleet.dev/watch=true");
        }
    }

    @Command(name = "bot", mixinStandardHelpOptions = true, description = "A new LLMBot.",
            footer = {"", "Example:", "  botfleet new bot --name helper --provider openai --model gpt-4o-mini "
                    + "--system-prompt 'You are concise.' --temperature 0.3 -o bots.yaml"})
    static final class Bot extends Scaffold {

        @Option(names = "--provider", required = true, description = "Name of the LLMProvider.")
        String provider;

        @Option(names = "--model", description = "Model (default: the provider's).")
        String model;

        @Option(names = "--system-prompt", description = "System prompt.")
        String systemPrompt;

        @Option(names = "--temperature", description = "Sampling temperature, 0 to 2.")
        Double temperature;

        @Option(names = "--max-tokens", description = "Most tokens per answer.")
        Integer maxTokens;

        @Option(names = "--runtime", description = "Runtime group (default: default).")
        String runtime;

        @Option(names = "--access-key-secret", description = "Secret with the Poe access key under key access-key.")
        String accessKeySecret;

        @Override
        String kind() {
            return LLMBot.KIND;
        }

        @Override
        ObjectNode spec(ObjectNode spec) {
            spec.putObject("providerRef").put("name", provider);
            putIfSet(spec, "model", model);
            putIfSet(spec, "systemPrompt", systemPrompt);
            if (temperature != null) {
                spec.put("temperature", temperature);
            }
            if (maxTokens != null) {
                spec.put("maxTokens", maxTokens);
            }
            putIfSet(spec, "runtime", runtime);
            if (accessKeySecret != null) {
                spec.putObject("accessKeySecretRef").put("name", accessKeySecret).put("key", "access-key");
            }
            return spec;
        }

        private static void putIfSet(ObjectNode spec, String field, String value) {
            if (value != null) {
                spec.put(field, value);
            }
        }
    }

    static final class PresetConverter implements picocli.CommandLine.ITypeConverter<Preset> {
        @Override
        public Preset convert(String value) {
            try {
                return Preset.ofOptionName(value);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException("unknown preset '" + value + "'; use one of "
                        + String.join(", ", new PresetNames()));
            }
        }
    }

    static final class PresetNames extends java.util.ArrayList<String> {
        PresetNames() {
            for (Preset preset : Preset.values()) {
                add(preset.optionName());
            }
        }
    }
}
