package dev.botfleet.operator.write;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OwnedFieldsTest {

    private static final YAMLMapper YAML = new YAMLMapper();

    private static JsonNode json(String yaml) {
        try {
            return YAML.readTree(yaml);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String drift(String desired, String stored) {
        return OwnedFields.drift(json(desired), json(stored)).orElse("none");
    }

    @Test
    void whatTheApiServerOrOthersAddIsNotDrift() {
        String desired = "{replicas: 1, template: {metadata: {annotations: {a: b}}, spec: {containers: "
                + "[{name: r, image: i, resources: {requests: {cpu: '0.5', memory: 256Mi}}}], volumes: [], "
                + "nodeSelector: {}}}}";
        assertThat(drift(desired, "{replicas: 1, progressDeadlineSeconds: 600, template: {metadata: {annotations: "
                + "{a: b, kubectl.kubernetes.io/restartedAt: now}}, spec: {dnsPolicy: ClusterFirst, containers: "
                + "[{name: r, image: i, imagePullPolicy: IfNotPresent, resources: {requests: {cpu: 500m, "
                + "memory: 256Mi}}}]}}}")).isEqualTo("none");
    }

    @Test
    void aChangedOwnedFieldIsDriftNamedByItsPath() {
        String desired = "{replicas: 1, template: {spec: {containers: [{name: r, image: i, args: [--a, --b]}]}}}";
        assertThat(drift(desired, "{replicas: 0, template: {spec: {containers: [{name: r, image: i, "
                + "args: [--a, --b]}]}}}")).isEqualTo(".replicas");
        assertThat(drift(desired, "{replicas: 1, template: {spec: {containers: [{name: r, image: evil, "
                + "args: [--a, --b]}]}}}")).isEqualTo(".template.spec.containers[0].image");
        assertThat(drift(desired, "{replicas: 1, template: {spec: {containers: [{name: r, image: i, "
                + "args: [--a, --b, --c]}]}}}")).isEqualTo(".template.spec.containers[0].args");
        assertThat(drift(desired, "{replicas: 1, template: {spec: {containers: [{name: r, image: i}]}}}"))
                .isEqualTo(".template.spec.containers[0].args");
        assertThat(drift("{limit: 64Mi}", "{limit: 65Mi}")).isEqualTo(".limit");
        assertThat(drift("{port: 80}", "{port: '80'}")).as("a type changed").isEqualTo(".port");
    }
}
