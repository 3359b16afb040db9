package dev.botfleet.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Values the API server admits as any JSON, made what Poe's schema takes. */
class ParameterValuesTest {

    private final ObjectMapper json = new ObjectMapper();

    private JsonNode value(String text) throws Exception {
        return json.readTree(text);
    }

    @Test
    void aDefaultIsOfItsControlsTypeOrLeftOut() throws Exception {
        assertThat(ParameterValues.defaultFor("toggle_switch", value("true"))).isEqualTo(value("true"));
        assertThat(ParameterValues.defaultFor("toggle_switch", value("\"false\""))).isEqualTo(value("false"));
        assertThat(ParameterValues.defaultFor("toggle_switch", value("\"yes\""))).isNull();
        assertThat(ParameterValues.defaultFor("toggle_switch", value("1"))).isNull();
        assertThat(ParameterValues.defaultFor("slider", value("0.5"))).isEqualTo(value("0.5"));
        assertThat(ParameterValues.defaultFor("slider", value("\" 2 \""))).isEqualTo(value("2.0"));
        assertThat(ParameterValues.defaultFor("slider", value("\"lots\""))).isNull();
        assertThat(ParameterValues.defaultFor("slider", value("\"NaN\""))).isNull();
        assertThat(ParameterValues.defaultFor("drop_down", value("\"fast\""))).isEqualTo(value("\"fast\""));
        assertThat(ParameterValues.defaultFor("text_field", value("42"))).isEqualTo(value("\"42\""));
        assertThat(ParameterValues.defaultFor("text_field", value("{\"a\": 1}"))).isNull();
        assertThat(ParameterValues.defaultFor("text_field", value("null"))).isNull();
    }

    @Test
    void aLiteralIsAScalar() throws Exception {
        assertThat(ParameterValues.literal(value("true"))).isEqualTo(value("true"));
        assertThat(ParameterValues.literal(value("1.5"))).isEqualTo(value("1.5"));
        assertThat(ParameterValues.literal(value("[1, 2]"))).isEqualTo(value("\"[1,2]\""));
        assertThat(ParameterValues.literal(null)).isEqualTo(value("\"\""));
    }

    @Test
    void theRenderedControlsCarryTheTypedValues() throws Exception {
        LLMBot bot = io.fabric8.kubernetes.client.utils.Serialization.unmarshal("""
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {name: loose}
                spec:
                  providerRef: {name: openai}
                  poe:
                    parameterControls:
                      sections:
                        - controls:
                            - {control: toggle_switch, label: Long, parameterName: long, defaultValue: "yes"}
                            - {control: slider, label: Heat, parameterName: heat, defaultValue: "0.3", minValue: 0,
                               maxValue: 1, step: 0.1}
                            - control: condition
                              condition: {comparator: eq, left: {parameterName: long, literal: 3},
                                          right: {literal: {not: scalar}}}
                              controls: [{control: divider}]
                """, LLMBot.class);
        JsonNode controls = json.readTree(PoeBotSettings.of(bot.getSpec(), name -> java.util.Optional.empty()).json())
                .at("/parameter_controls/sections/0/controls");

        assertThat(controls.get(0).has("default_value")).isFalse();
        assertThat(controls.get(1).path("default_value")).isEqualTo(value("0.3"));
        assertThat(controls.get(2).at("/condition/left")).isEqualTo(value("{\"parameter_name\": \"long\"}"));
        assertThat(controls.get(2).at("/condition/right")).isEqualTo(value("{\"literal\": \"{\\\"not\\\":\\\"scalar\\\"}\"}"));
    }
}
