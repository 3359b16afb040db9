package dev.botfleet.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Evaluates the CRD's {@code x-kubernetes-validations} rules with {@code self} bound to the value they sit on,
 * as the API server does. Rules use standard CEL (has, all, exists, exists_one, in, size) and the strings
 * extension Kubernetes also offers ({@code lowerAscii}).
 */
final class CelRules {

    private final CelCompiler compiler = CelCompilerFactory.standardCelCompilerBuilder()
            .addVar("self", SimpleType.DYN)
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addLibraries(CelExtensions.strings())
            .build();
    private final CelRuntime runtime = CelRuntimeFactory.standardCelRuntimeBuilder()
            .addLibraries(CelExtensions.strings()).build();
    private final Map<String, CelRuntime.Program> programs = new ConcurrentHashMap<>();

    /** Whether {@code rule} holds for {@code self}; empty when it cannot be evaluated (a type error elsewhere). */
    Optional<Boolean> holds(String rule, JsonNode self) {
        try {
            Object result = program(rule).eval(Map.of("self", toCel(self)));
            return result instanceof Boolean holds ? Optional.of(holds) : Optional.empty();
        } catch (CelEvaluationException e) {
            return Optional.empty();
        }
    }

    private CelRuntime.Program program(String rule) {
        return programs.computeIfAbsent(rule, expression -> {
            try {
                CelAbstractSyntaxTree ast = compiler.compile(expression).getAst();
                return runtime.createProgram(ast);
            } catch (CelValidationException | CelEvaluationException e) {
                throw new IllegalStateException("CRD rule does not compile: " + expression, e);
            }
        });
    }

    /** JSON as CEL values: objects as maps, arrays as lists, integers as long, numbers as double. */
    static Object toCel(JsonNode node) {
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            node.fields().forEachRemaining(field -> map.put(field.getKey(), toCel(field.getValue())));
            return map;
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            node.forEach(item -> list.add(toCel(item)));
            return list;
        }
        if (node.isIntegralNumber()) {
            return node.asLong();
        }
        if (node.isNumber()) {
            return node.asDouble();
        }
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        if (node.isNull()) {
            return dev.cel.common.values.NullValue.NULL_VALUE;
        }
        return node.asText();
    }
}
