package dev.botfleet.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

import java.util.List;

/**
 * One control of Poe's parameter controls: a divider, a text field or area, a drop-down, a toggle switch, a slider or an
 * aspect-ratio picker; this class is also what a condition shows, where a nested condition is refused
 * ({@link ParameterControl} adds the condition, and inherits these rules). Which fields a control takes depends on its
 * kind, as Poe's schema has it; the rules below refuse the others, naming the field.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value = "self.control in ['divider', 'condition'] || (has(self.label) && has(self.parameterName))",
        message = "this control needs a label and a parameterName",
        fieldPath = ".parameterName", reason = "FieldValueRequired")
@ValidationRule(
        value = "!(self.control in ['divider', 'condition']) || !(has(self.label) || has(self.description)"
                + " || has(self.parameterName))",
        message = "a divider or a condition takes no label, description or parameterName",
        fieldPath = ".label", reason = "FieldValueForbidden")
@ValidationRule(
        value = "self.control == 'drop_down' ? has(self.options) && self.options.all(o, has(o.value)"
                + " && has(o.name) && !has(o.width) && !has(o.height))"
                + " : self.control == 'aspect_ratio' ? has(self.options)"
                + " && self.options.all(o, has(o.width) && has(o.height) && !has(o.name))"
                + " : !has(self.options)",
        message = "a drop_down needs options with value and name, an aspect_ratio options with width and height "
                + "(value optional); other controls take no options",
        fieldPath = ".options", reason = "FieldValueInvalid")
@ValidationRule(
        value = "self.control == 'slider' ? has(self.minValue) && has(self.maxValue) && has(self.step)"
                + " && double(self.minValue) < double(self.maxValue) && double(self.step) > 0.0"
                + " : !(has(self.minValue) || has(self.maxValue) || has(self.step))",
        message = "a slider needs minValue below maxValue and a positive step; other controls take none of them",
        fieldPath = ".step", reason = "FieldValueInvalid")
@ValidationRule(
        value = "self.control in ['text_field', 'text_area'] || !has(self.placeholder)",
        message = "only a text_field or a text_area takes a placeholder",
        fieldPath = ".placeholder", reason = "FieldValueForbidden")
public class BaseParameterControl {

    public enum Kind {
        @JsonProperty("divider") DIVIDER,
        @JsonProperty("text_field") TEXT_FIELD,
        @JsonProperty("text_area") TEXT_AREA,
        @JsonProperty("drop_down") DROP_DOWN,
        @JsonProperty("toggle_switch") TOGGLE_SWITCH,
        @JsonProperty("slider") SLIDER,
        @JsonProperty("aspect_ratio") ASPECT_RATIO,
        @JsonProperty("condition") CONDITION
    }

    @Required
    @JsonPropertyDescription("The kind of control: divider, text_field, text_area, drop_down, toggle_switch, slider, "
            + "aspect_ratio, or condition (controls shown only when a comparison holds).")
    private Kind control;

    @Size(max = 100)
    @JsonPropertyDescription("Label shown with the control.")
    private String label;

    @Size(max = 500)
    @JsonPropertyDescription("Help text shown with the control.")
    private String description;

    @Pattern("^[A-Za-z_][A-Za-z0-9_]*$")
    @Size(max = 64)
    @JsonPropertyDescription("Key of the chosen value in each message's parameters.")
    private String parameterName;

    @PreserveUnknownFields
    @JsonPropertyDescription("Value chosen until the user chooses: a boolean for toggle_switch, a number for slider, a "
            + "string otherwise. Any JSON is admitted (the API server cannot check a value of several types); one of "
            + "the wrong type is left out of what Poe is sent, and botfleet validate warns of it.")
    private JsonNode defaultValue;

    @Size(max = 200)
    @JsonPropertyDescription("text_field and text_area: hint shown while empty.")
    private String placeholder;

    @Size(max = 20)
    @JsonPropertyDescription("drop_down: value and name of each choice; aspect_ratio: width and height (and an "
            + "optional value) of each choice.")
    private List<ParameterOption> options;

    @JsonPropertyDescription("slider: smallest value.")
    private Double minValue;

    @JsonPropertyDescription("slider: largest value.")
    private Double maxValue;

    @JsonPropertyDescription("slider: step between values.")
    private Double step;

    public Kind getControl() {
        return control;
    }

    public void setControl(Kind control) {
        this.control = control;
    }

    public String getLabel() {
        return label;
    }

    public void setLabel(String label) {
        this.label = label;
    }

    public String getDescription() {
        return description;
    }

    public void setDescription(String description) {
        this.description = description;
    }

    public String getParameterName() {
        return parameterName;
    }

    public void setParameterName(String parameterName) {
        this.parameterName = parameterName;
    }

    public JsonNode getDefaultValue() {
        return defaultValue;
    }

    public void setDefaultValue(JsonNode defaultValue) {
        this.defaultValue = defaultValue;
    }

    public String getPlaceholder() {
        return placeholder;
    }

    public void setPlaceholder(String placeholder) {
        this.placeholder = placeholder;
    }

    public List<ParameterOption> getOptions() {
        return options;
    }

    public void setOptions(List<ParameterOption> options) {
        this.options = options;
    }

    public Double getMinValue() {
        return minValue;
    }

    public void setMinValue(Double minValue) {
        this.minValue = minValue;
    }

    public Double getMaxValue() {
        return maxValue;
    }

    public void setMaxValue(Double maxValue) {
        this.maxValue = maxValue;
    }

    public Double getStep() {
        return step;
    }

    public void setStep(Double step) {
        this.step = step;
    }
}
