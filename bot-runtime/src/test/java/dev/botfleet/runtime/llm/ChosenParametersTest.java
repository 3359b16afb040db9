package dev.botfleet.runtime.llm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.botfleet.api.BotParameters;
import dev.botfleet.handler.poe.ProtocolMessage;
import dev.botfleet.handler.poe.QueryRequest;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The newest user message's parameters, held to what spec.parameters allows. */
class ChosenParametersTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final BotParameters DECLARED = Serialization.unmarshal("""
            model: {parameterName: model, models: [gpt-4o-mini, gpt-4o]}
            temperature: {parameterName: creativity, min: 0.2, max: 1.5}
            maxTokens: {parameterName: length, min: 512, max: 8192}
            reasoningEffort: {parameterName: effort, values: [low, high]}
            """, BotParameters.class);

    private final List<String> refused = new ArrayList<>();

    private ChosenParameters chosen(String olderParameters, String newestParameters) throws Exception {
        ProtocolMessage older = message("earlier", olderParameters);
        ProtocolMessage newest = message("now", newestParameters);
        QueryRequest request = QueryRequest.of(List.of(older, new ProtocolMessage(ProtocolMessage.Role.BOT, "ok"),
                newest), "u", "c", "m");
        return ChosenParameters.of(DECLARED, request, refused::add);
    }

    private static ProtocolMessage message(String text, String parameters) throws Exception {
        return new ProtocolMessage(ProtocolMessage.Role.USER, text, null, null, null, null, null, null, null,
                (ObjectNode) JSON.readTree(parameters), null, null, null, null);
    }

    @Test
    void valuesWithinTheirBoundsAreTakenFromTheNewestUserMessage() throws Exception {
        ChosenParameters chosen = chosen("{\"model\": \"gpt-4o-mini\"}",
                "{\"model\": \"gpt-4o\", \"creativity\": 0.9, \"length\": 2048.0, \"effort\": \"high\", \"other\": 1}");

        assertThat(chosen).isEqualTo(new ChosenParameters("gpt-4o", 0.9, 2048, "high"));
        assertThat(refused).isEmpty();
    }

    @Test
    void numbersMayComeAsTheStringsADropDownSends() throws Exception {
        assertThat(chosen("{}", "{\"creativity\": \"1.25\", \"length\": \"1024\"}"))
                .isEqualTo(new ChosenParameters(null, 1.25, 1024, null));
    }

    @Test
    void valuesOutsideTheirBoundsOrOfTheWrongTypeAreLeftOutAndReported() throws Exception {
        ChosenParameters chosen = chosen("{}", "{\"model\": \"o3\", \"creativity\": 1.9, \"length\": 1000.5, "
                + "\"effort\": \"medium\"}");
        assertThat(chosen).isEqualTo(ChosenParameters.NONE);
        assertThat(refused).containsExactly("model", "creativity", "length", "effort");

        refused.clear();
        assertThat(chosen("{}", "{\"model\": 4, \"creativity\": \"warm\", \"length\": 100, \"effort\": true}"))
                .isEqualTo(ChosenParameters.NONE);
        assertThat(refused).containsExactly("model", "creativity", "length", "effort");

        refused.clear();
        assertThat(chosen("{}", "{\"creativity\": 0.2, \"length\": 8192}"))
                .as("the bounds themselves are allowed").isEqualTo(new ChosenParameters(null, 0.2, 8192, null));
        assertThat(refused).isEmpty();
    }

    @Test
    void withNothingDeclaredOrChosenNothingChanges() throws Exception {
        assertThat(ChosenParameters.of(null, QueryRequest.of(List.of(new ProtocolMessage(ProtocolMessage.Role.USER,
                "hi")), "u", "c", "m"), refused::add)).isEqualTo(ChosenParameters.NONE);
        assertThat(chosen("{\"model\": \"gpt-4o\"}", "{}")).as("an older message's choice is not the newest")
                .isEqualTo(ChosenParameters.NONE);
        assertThat(refused).isEmpty();
    }
}
