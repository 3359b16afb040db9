package dev.botfleet.runtime;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RuntimePropertiesTest {

    private static RuntimeProperties bind(Map<String, String> settings) {
        return new Binder(new MapConfigurationPropertySource(settings)).bind("botfleet", RuntimeProperties.class)
                .orElseGet(() -> bind(Map.of("botfleet.manifests", "m.yaml")));
    }

    @Test
    void settingsThatWouldStopEveryAnswerAreRefusedByName() {
        for (Map.Entry<String, String> nonsense : Map.of("botfleet.max-connections", "0",
                "botfleet.header-timeout", "0s", "botfleet.keep-alive", "-1s", "botfleet.max-request-size", "0B",
                "botfleet.max-tracked-users", "0").entrySet()) {
            assertThatThrownBy(() -> bind(Map.of(nonsense.getKey(), nonsense.getValue())))
                    .isInstanceOf(BindException.class).rootCause()
                    .hasMessageStartingWith(nonsense.getKey() + " must");
        }
    }

    @Test
    void sensibleSettingsBindAndTheRestKeepTheirDefaults() {
        RuntimeProperties properties = bind(Map.of("botfleet.max-connections", "100", "botfleet.drain-timeout", "0s"));
        assertThat(properties.maxConnections()).isEqualTo(100);
        assertThat(properties.drainTimeout()).as("no drain: stop at once").isZero();
        assertThat(properties.headerTimeout()).isEqualTo(Duration.ofSeconds(20));
    }
}
