package dev.botfleet.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.jse.JsePlatform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The health checks documented for GitOps tools (docs/gitops), executed: Argo CD's Lua script with LuaJ, Flux's
 * CEL expressions with cel-java in Flux's order (inProgress, failed, current; in progress when none holds).
 */
class GitOpsHealthTest {

    private static final Path DIR = Path.of(System.getProperty("botfleet.docs.dir", "../docs"), "gitops");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A resource at generation 2 with {@code status}, given as JSON ({@code -} for none). */
    private static JsonNode resource(String kind, String status) throws IOException {
        return JSON.readTree("""
                {"apiVersion": "botfleet.dev/v1alpha1", "kind": "%s", "metadata": {"name": "x", "generation": 2},
                 "spec": {}%s}""".formatted(kind, status.equals("-") ? "" : ", \"status\": " + status));
    }

    private static final String READY = """
            {"observedGeneration": 2, "conditions": [{"type": "Ready", "status": "True", "reason": "Ready",
             "message": "served"}]}""";

    @ParameterizedTest(name = "{0} with {1} is {2} / {3}")
    @CsvSource(delimiter = '|', textBlock = """
            LLMBot      | -                                                                       | Progressing | InProgress
            LLMBot      | {"observedGeneration": 2, "conditions": []}                             | Progressing | InProgress
            LLMBot      | READY                                                                   | Healthy     | Current
            LLMBot      | {"observedGeneration": 1, "conditions": [{"type": "Ready", "status": "True"}]} | Progressing | InProgress
            LLMBot      | {"observedGeneration": 2, "conditions": [{"type": "Ready", "status": "False", "reason": "RuntimeNotAvailable", "message": "waiting"}]} | Progressing | InProgress
            LLMBot      | {"observedGeneration": 2, "conditions": [{"type": "Ready", "status": "False", "reason": "ProviderNotFound", "message": "create it"}]} | Degraded | Failed
            LLMProvider | -                                                                       | Progressing | InProgress
            LLMProvider | READY                                                                   | Healthy     | Current
            LLMProvider | {"observedGeneration": 2, "conditions": [{"type": "Ready", "status": "False", "reason": "SecretKeyMissing", "message": "add it"}]} | Degraded | Failed
            BotRuntime  | READY                                                                   | Healthy     | Current
            BotRuntime  | {"observedGeneration": 2, "conditions": []}                             | Progressing | InProgress
            """)
    void argoCdAndFluxAgree(String kind, String status, String argoCd, String flux) throws Exception {
        JsonNode resource = resource(kind, status.equals("READY") ? READY : status);

        assertThat(argoCdHealth(resource)).isEqualTo(argoCd);
        assertThat(fluxHealth(resource)).isEqualTo(flux);
    }

    private static String argoCdHealth(JsonNode resource) throws IOException {
        LuaValue globals = JsePlatform.standardGlobals();
        globals.set("obj", lua(resource));
        LuaValue health = globals.get("load").call(LuaValue.valueOf(Files.readString(DIR.resolve("argocd-health.lua"))))
                .call();
        return health.get("status").tojstring();
    }

    /** JSON as Lua values, as Argo CD hands a resource to its scripts: arrays as tables indexed from 1. */
    private static LuaValue lua(JsonNode node) {
        if (node.isObject()) {
            LuaTable table = new LuaTable();
            node.fields().forEachRemaining(field -> table.set(field.getKey(), lua(field.getValue())));
            return table;
        }
        if (node.isArray()) {
            LuaTable table = new LuaTable();
            for (int i = 0; i < node.size(); i++) {
                table.set(i + 1, lua(node.get(i)));
            }
            return table;
        }
        if (node.isNumber()) {
            return LuaValue.valueOf(node.asDouble());
        }
        if (node.isBoolean()) {
            return LuaValue.valueOf(node.asBoolean());
        }
        return node.isNull() ? LuaValue.NIL : LuaValue.valueOf(node.asText());
    }

    private static String fluxHealth(JsonNode resource) throws Exception {
        JsonNode status = resource.path("status");
        if (status.has("observedGeneration")
                && status.path("observedGeneration").asLong() != resource.at("/metadata/generation").asLong()) {
            return "InProgress";
        }
        JsonNode check = fluxChecks().stream()
                .filter(c -> c.path("kind").asText().equals(resource.path("kind").asText())).findFirst().orElseThrow();
        Map<String, Object> variables = new LinkedHashMap<>();
        for (String field : List.of("metadata", "spec", "status")) {
            variables.put(field, JSON.convertValue(resource.path(field).isMissingNode() ? JSON.createObjectNode()
                    : resource.path(field), Map.class));
        }
        for (String outcome : List.of("inProgress", "failed", "current")) {
            if (check.has(outcome) && evaluate(check.path(outcome).asText(), variables)) {
                return Character.toUpperCase(outcome.charAt(0)) + outcome.substring(1);
            }
        }
        return "InProgress";
    }

    private static List<JsonNode> fluxChecks() throws IOException {
        JsonNode checks = new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                .readTree(DIR.resolve("flux-health-exprs.yaml").toFile());
        return List.copyOf(JSON.convertValue(checks, new com.fasterxml.jackson.core.type.TypeReference<
                List<JsonNode>>() { }));
    }

    private static boolean evaluate(String expression, Map<String, Object> variables) throws Exception {
        CelCompiler compiler = CelCompilerFactory.standardCelCompilerBuilder()
                .addVar("metadata", SimpleType.DYN).addVar("spec", SimpleType.DYN).addVar("status", SimpleType.DYN)
                .setStandardMacros(CelStandardMacro.STANDARD_MACROS).build();
        CelAbstractSyntaxTree ast = compiler.compile(expression).getAst();
        CelRuntime runtime = CelRuntimeFactory.standardCelRuntimeBuilder().build();
        return (Boolean) runtime.createProgram(ast).eval(variables);
    }
}
