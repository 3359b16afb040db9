package dev.botfleet.api.validation;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** CEL sees JSON as the API server hands it over: integers, numbers, booleans, null, lists and maps. */
class CelRulesTest {

    private final CelRules rules = new CelRules();
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void everyJsonTypeReachesCelAsItsOwnType() throws Exception {
        var self = json.readTree("""
                {"count": 3, "ratio": 0.5, "on": true, "none": null, "names": ["a", "b"], "map": {"k": "v"}}""");

        assertThat(rules.holds("self.count == 3 && self.count > 2", self)).hasValue(true);
        assertThat(rules.holds("self.ratio == 0.5", self)).hasValue(true);
        assertThat(rules.holds("self.on", self)).hasValue(true);
        assertThat(rules.holds("self.none == null", self)).hasValue(true);
        assertThat(rules.holds("size(self.names) == 2 && 'b' in self.names", self)).hasValue(true);
        assertThat(rules.holds("self.map.k == 'v'", self)).hasValue(true);
        assertThat(rules.holds("'X-Api-Key'.lowerAscii() == 'x-api-key'", self)).hasValue(true);
        assertThat(rules.holds("self.count == 4", self)).hasValue(false);
    }

    @Test
    void aRuleThatCannotBeEvaluatedHereSaysNothing() throws Exception {
        assertThat(rules.holds("self.missing.field == 1", json.readTree("{}"))).isEmpty();
        assertThat(rules.holds("self.count", json.readTree("{\"count\": 3}"))).as("not a boolean").isEmpty();
    }
}
