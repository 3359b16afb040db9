package dev.botfleet.operator.desired;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RuntimeTemplateTest {

    private static final String TEMPLATE = """
            apiVersion: apps/v1
            kind: Deployment
            spec:
              template:
                spec:
                  containers:
                    - name: bot-runtime
                      args: [--manifests=/etc/botfleet/config, %s]
                      %s
            """;

    @Test
    void theShippedTemplateSaysWhereSecretsGoAndHowLongThePreStopSleeps() {
        RuntimeTemplate shipped = RuntimeTemplate.shipped();
        assertThat(shipped.secretsDir()).isEqualTo("/etc/botfleet/secrets/");
        assertThat(shipped.preStopSeconds()).isEqualTo(5);
        assertThat(shipped.deployment()).as("a copy each time, to fill in").isNotSameAs(shipped.deployment())
                .isEqualTo(shipped.deployment());
    }

    @Test
    void aTemplateWithoutWhatTheOperatorReadsIsRefusedByName() {
        String sleep = "lifecycle: {preStop: {sleep: {seconds: 3}}}";
        RuntimeTemplate custom = RuntimeTemplate.parse("t.yaml", TEMPLATE.formatted("--secrets-dir=/s", sleep));
        assertThat(custom.secretsDir()).isEqualTo("/s/");
        assertThat(custom.preStopSeconds()).isEqualTo(3);

        assertThatThrownBy(() -> RuntimeTemplate.parse("t.yaml", TEMPLATE.formatted("--secrets=/s", sleep)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("t.yaml: the runtime container needs an argument --secrets-dir=DIR, where each Secret "
                        + "is mounted");
        assertThatThrownBy(() -> RuntimeTemplate.parse("t.yaml", TEMPLATE.formatted("--secrets-dir=", sleep)))
                .hasMessageContaining("--secrets-dir=DIR");
        assertThatThrownBy(() -> RuntimeTemplate.parse("t.yaml", TEMPLATE.formatted("--secrets-dir=/s", "")))
                .hasMessage("t.yaml: the runtime container needs lifecycle.preStop.sleep.seconds, the time "
                        + "Services take to stop routing to a stopping pod");
        assertThatThrownBy(() -> RuntimeTemplate.parse("t.yaml", "apiVersion: apps/v1\nkind: Deployment\n"))
                .hasMessage("t.yaml: spec.template.spec.containers[0] must be the runtime");
    }
}
