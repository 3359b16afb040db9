package dev.botfleet.operator;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentSpec;
import io.fabric8.kubernetes.api.model.apps.DeploymentSpecBuilder;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class GroupWorkloadTest {

    private static DeploymentSpec spec(Map<String, String> labels) {
        return new DeploymentSpecBuilder().withNewSelector().withMatchLabels(labels).endSelector()
                .withNewTemplate().withMetadata(new ObjectMetaBuilder().withLabels(labels).build()).endTemplate()
                .build();
    }

    /** Maps built with Map.of iterate in an order each JVM picks anew; the hash must not depend on it. */
    @Test
    void theDesiredSpecHashDoesNotDependOnTheOrderOfMapKeys() {
        Map<String, String> oneOrder = new LinkedHashMap<>();
        oneOrder.put("botfleet.dev/runtime", "default");
        oneOrder.put("app.kubernetes.io/name", "bot-runtime");
        Map<String, String> otherOrder = new LinkedHashMap<>();
        otherOrder.put("app.kubernetes.io/name", "bot-runtime");
        otherOrder.put("botfleet.dev/runtime", "default");

        assertThat(GroupWorkload.canonicalJson(spec(oneOrder))).isEqualTo(GroupWorkload.canonicalJson(spec(otherOrder)));
    }
}
