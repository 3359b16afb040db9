package dev.botfleet.runtime.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import dev.botfleet.testing.RuntimeProcess;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How the operator's Deployment starts the runtime, read from its template ({@code runtime-deployment.yaml}): the
 * JVM options of {@code JAVA_TOOL_OPTIONS}, the other environment variables, the {@code --botfleet.*} arguments, a
 * management port of its own, and the default memory limit of 512 MiB as {@code -XX:MaxRAM}, which is what the JVM
 * reads from the container.
 */
record ShippedRuntime(List<String> jvmOptions, Map<String, String> environment, List<String> arguments) {

    private static final Path TEMPLATE = Path.of("../operator/src/main/resources/runtime-deployment.yaml");
    private static final String MEMORY_LIMIT = "-XX:MaxRAM=512m";

    static ShippedRuntime read() throws IOException {
        JsonNode container = new YAMLMapper().readTree(TEMPLATE.toFile()).at("/spec/template/spec/containers/0");
        List<String> jvmOptions = new ArrayList<>(List.of(MEMORY_LIMIT));
        Map<String, String> environment = new LinkedHashMap<>();
        for (JsonNode variable : container.path("env")) {
            String value = variable.path("value").asText();
            if (variable.path("name").asText().equals("JAVA_TOOL_OPTIONS")) {
                jvmOptions.addAll(List.of(value.strip().split("\\s+")));
            } else {
                environment.put(variable.path("name").asText(), value);
            }
        }
        List<String> arguments = new ArrayList<>();
        container.path("args").forEach(argument -> {
            if (argument.asText().startsWith("--botfleet.") && !argument.asText().startsWith("--botfleet.list-bots")) {
                arguments.add(argument.asText());
            }
        });
        // Health and metrics on a port of their own, as in the pod (Spring AOT fixed that at build time).
        arguments.add("--management.server.port=" + RuntimeProcess.freePort());
        return new ShippedRuntime(jvmOptions, environment, arguments);
    }

    /** A short description for the tables. */
    String describe() {
        return String.join(" ", jvmOptions) + " " + String.join(" ", arguments) + " " + environment;
    }
}
