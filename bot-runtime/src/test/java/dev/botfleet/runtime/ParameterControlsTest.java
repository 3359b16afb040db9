package dev.botfleet.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A bot's parameter controls announced to Poe, and the values users choose changing the upstream request. */
class ParameterControlsTest extends RuntimeTestBase {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode chose(String parameters) throws Exception {
        ObjectNode query = PoeClient.query("hi");
        ((ObjectNode) query.path("query").get(0)).set("parameters", JSON.readTree(parameters));
        return query;
    }

    private double refused(String parameter) {
        Counter counter = registry.find("botfleet.parameters.refused").tags("bot", "tunable", "parameter", parameter)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void theSettingsCarryTheControlsInPoesFormat() throws Exception {
        JsonNode settings = JSON.readTree(poe.post("/bots/tunable", "{\"version\": \"1.2\", \"type\": \"settings\"}")
                .body());
        JsonNode controls = settings.path("parameter_controls");
        assertThat(controls.path("api_version").asText()).isEqualTo("2");
        assertThat(controls.at("/sections/0/controls/1/parameter_name").asText()).isEqualTo("creativity");
        assertThat(controls.at("/sections/0/controls/1/max_value").asDouble()).isEqualTo(1.5);
    }

    @Test
    void valuesWithinTheirBoundsChangeTheRequest() throws Exception {
        poe.ask("tunable", chose("{\"model\": \"m-large\", \"creativity\": 1.2, \"length\": 1024, \"effort\": "
                + "\"high\", \"unmapped\": \"ignored\"}"));

        JsonNode body = UPSTREAM.lastRequest().body();
        assertThat(body.path("model").asText()).isEqualTo("m-large");
        assertThat(body.path("temperature").asDouble()).isEqualTo(1.2);
        assertThat(body.path("max_tokens").asInt()).isEqualTo(1024);
        assertThat(body.path("reasoning_effort").asText()).isEqualTo("high");
        assertThat(body.toString()).doesNotContain("unmapped");
    }

    @Test
    void valuesOutsideTheirBoundsAreIgnoredCountedAndNeverSent() throws Exception {
        double before = refused("creativity") + refused("model") + refused("length") + refused("effort");
        poe.ask("tunable", chose("{\"model\": \"m-secret\", \"creativity\": 9, \"length\": 100000, "
                + "\"effort\": \"maximum\"}"));

        JsonNode body = UPSTREAM.lastRequest().body();
        assertThat(body.path("model").asText()).isEqualTo("m-default");
        assertThat(body.path("temperature").asDouble()).isEqualTo(0.7);
        assertThat(body.path("max_tokens").asInt()).isEqualTo(256);
        assertThat(body.has("reasoning_effort")).isFalse();
        assertThat(refused("creativity") + refused("model") + refused("length") + refused("effort"))
                .isEqualTo(before + 4);
    }
}
