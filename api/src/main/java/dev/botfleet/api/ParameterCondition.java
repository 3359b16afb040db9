package dev.botfleet.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A comparison of two operands, each a literal or the value of a parameter, that shows a condition's controls. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ParameterCondition {

    public enum Comparator {
        @JsonProperty("eq") EQ, @JsonProperty("ne") NE, @JsonProperty("gt") GT,
        @JsonProperty("ge") GE, @JsonProperty("lt") LT, @JsonProperty("le") LE
    }

    @Required
    @JsonPropertyDescription("eq, ne, gt, ge, lt or le.")
    private Comparator comparator;

    @Required
    @JsonPropertyDescription("The left operand.")
    private Operand left;

    @Required
    @JsonPropertyDescription("The right operand.")
    private Operand right;

    public Comparator getComparator() {
        return comparator;
    }

    public void setComparator(Comparator comparator) {
        this.comparator = comparator;
    }

    public Operand getLeft() {
        return left;
    }

    public void setLeft(Operand left) {
        this.left = left;
    }

    public Operand getRight() {
        return right;
    }

    public void setRight(Operand right) {
        this.right = right;
    }

    /**
     * A literal (a string, a number or a boolean) or a parameter's value. The API server cannot check a value of
     * several types: a parameterName wins over a literal, and a literal that is not a scalar is sent as its text.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Operand {

        @PreserveUnknownFields
        @JsonPropertyDescription("A string, number or boolean (used when parameterName is not set).")
        private JsonNode literal;

        @Pattern("^[A-Za-z_][A-Za-z0-9_]*$")
        @Size(max = 64)
        @JsonPropertyDescription("The parameter whose value is compared.")
        private String parameterName;

        public JsonNode getLiteral() {
            return literal;
        }

        public void setLiteral(JsonNode literal) {
            this.literal = literal;
        }

        public String getParameterName() {
            return parameterName;
        }

        public void setParameterName(String parameterName) {
            this.parameterName = parameterName;
        }
    }
}
