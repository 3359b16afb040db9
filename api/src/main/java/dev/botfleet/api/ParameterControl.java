package dev.botfleet.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

import java.util.List;

/**
 * A control of a section or tab: any of {@link BaseParameterControl}'s kinds (whose rules the CRD generator carries
 * over to this class), or a {@code condition}, which shows its own controls only while a comparison holds.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self.control == 'condition' ? has(self.condition) && has(self.controls)"
        + " : !has(self.condition) && !has(self.controls)",
        message = "a condition needs a condition and controls; other controls take neither",
        fieldPath = ".condition", reason = "FieldValueInvalid")
public class ParameterControl extends BaseParameterControl {

    @JsonPropertyDescription("condition: the comparison that shows the controls.")
    private ParameterCondition condition;

    @Size(max = 20)
    @ValidationRule(value = "self.all(c, c.control != 'condition')", message = "a condition cannot be nested in a "
            + "condition", reason = "FieldValueInvalid")
    @JsonPropertyDescription("condition: the controls shown while the comparison holds (no nested condition).")
    private List<BaseParameterControl> controls;

    public ParameterCondition getCondition() {
        return condition;
    }

    public void setCondition(ParameterCondition condition) {
        this.condition = condition;
    }

    public List<BaseParameterControl> getControls() {
        return controls;
    }

    public void setControls(List<BaseParameterControl> controls) {
        this.controls = controls;
    }
}
