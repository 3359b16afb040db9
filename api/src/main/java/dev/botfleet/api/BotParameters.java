package dev.botfleet.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

import java.util.List;

/**
 * Which of the values a user chooses in the bot's parameter controls change the request sent to the provider, and
 * within which bounds. A value outside them, or of the wrong type, is ignored (and counted): the bot's own setting
 * applies. Each names the control by its {@code parameterName}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BotParameters {

    @JsonPropertyDescription("A parameter that picks the model, among these; each must be allowed by the provider.")
    private ModelChoice model;

    @JsonPropertyDescription("A parameter that sets the temperature, within min and max (0-2).")
    private TemperatureRange temperature;

    @JsonPropertyDescription("A parameter that sets max_tokens, within min and max.")
    private TokenRange maxTokens;

    @JsonPropertyDescription("A parameter that sets reasoning_effort, among these values.")
    private EffortChoice reasoningEffort;

    public ModelChoice getModel() {
        return model;
    }

    public void setModel(ModelChoice model) {
        this.model = model;
    }

    public TemperatureRange getTemperature() {
        return temperature;
    }

    public void setTemperature(TemperatureRange temperature) {
        this.temperature = temperature;
    }

    public TokenRange getMaxTokens() {
        return maxTokens;
    }

    public void setMaxTokens(TokenRange maxTokens) {
        this.maxTokens = maxTokens;
    }

    public EffortChoice getReasoningEffort() {
        return reasoningEffort;
    }

    public void setReasoningEffort(EffortChoice reasoningEffort) {
        this.reasoningEffort = reasoningEffort;
    }

    /** The control that sets a request field, by its parameter name. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public abstract static class Parameter {

        @Required
        @Pattern("^[A-Za-z_][A-Za-z0-9_]*$")
        @Size(max = 64)
        @JsonPropertyDescription("The parameterName of the control whose value is used.")
        private String parameterName;

        public String getParameterName() {
            return parameterName;
        }

        public void setParameterName(String parameterName) {
            this.parameterName = parameterName;
        }
    }

    /** A number within bounds. */
    public interface Range {

        Double getMin();

        Double getMax();

        String getParameterName();
    }

    /** A temperature within bounds, themselves within 0 and 2. */
    @ValidationRule(value = "double(self.min) <= double(self.max)", message = "min must not be above max",
            fieldPath = ".min", reason = "FieldValueInvalid")
    public static class TemperatureRange extends Parameter implements Range {

        @Required
        @Min(0)
        @Max(2)
        @JsonPropertyDescription("Lowest temperature taken.")
        private Double min;

        @Required
        @Min(0)
        @Max(2)
        @JsonPropertyDescription("Highest temperature taken.")
        private Double max;

        @Override
        public Double getMin() {
            return min;
        }

        public void setMin(Double min) {
            this.min = min;
        }

        @Override
        public Double getMax() {
            return max;
        }

        public void setMax(Double max) {
            this.max = max;
        }
    }

    /** A number of tokens within bounds. */
    @ValidationRule(value = "double(self.min) <= double(self.max)", message = "min must not be above max",
            fieldPath = ".min", reason = "FieldValueInvalid")
    public static class TokenRange extends Parameter implements Range {

        @Required
        @Min(1)
        @JsonPropertyDescription("Fewest tokens taken.")
        private Double min;

        @Required
        @Min(1)
        @JsonPropertyDescription("Most tokens taken.")
        private Double max;

        @Override
        public Double getMin() {
            return min;
        }

        public void setMin(Double min) {
            this.min = min;
        }

        @Override
        public Double getMax() {
            return max;
        }

        public void setMax(Double max) {
            this.max = max;
        }
    }

    /** A model among some. */
    public static class ModelChoice extends Parameter {

        @Required
        @Size(min = 1, max = 32)
        @JsonPropertyDescription("The models a user may pick.")
        private List<@Size(min = 1, max = 256) String> models;

        public List<String> getModels() {
            return models;
        }

        public void setModels(List<String> models) {
            this.models = models;
        }
    }

    public enum Effort {
        @JsonProperty("minimal") MINIMAL, @JsonProperty("low") LOW, @JsonProperty("medium") MEDIUM,
        @JsonProperty("high") HIGH
    }

    /** A reasoning effort among some. */
    public static class EffortChoice extends Parameter {

        @Required
        @Size(min = 1, max = 4)
        @JsonPropertyDescription("The efforts a user may pick: minimal, low, medium, high.")
        private List<Effort> values;

        public List<Effort> getValues() {
            return values;
        }

        public void setValues(List<Effort> values) {
            this.values = values;
        }
    }
}
