package dev.botfleet.operator;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OperatorSettingsTest {

    @Test
    void defaultsWhenNothingIsSet() {
        OperatorSettings settings = OperatorSettings.from(name -> null);
        assertThat(settings.namespaces()).isEmpty();
        assertThat(settings.runtimeImage()).isEqualTo(OperatorSettings.DEFAULT_RUNTIME_IMAGE);
        assertThat(settings.runtimeReplicas()).isEqualTo(1);
        assertThat(settings.runtimeResources().getRequests()).containsKeys("cpu", "memory");
        assertThat(settings.leaderElection()).isFalse();
        assertThat(settings.exitOnLostLeadership()).isTrue();
        assertThat(settings.recheckInterval()).isEqualTo(Duration.ofSeconds(60));
        assertThat(settings.groupWriteInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(settings.serverSideApply()).isTrue();
        assertThat(settings.leaderIdentity()).isNull();
    }

    @Test
    void theLeaseIsHeldUnderThePodNameOrElseTheHostName() {
        assertThat(OperatorSettings.from(Map.of("POD_NAME", "botfleet-7d9-x2", "HOSTNAME", "host")::get)
                .leaderIdentity()).isEqualTo("botfleet-7d9-x2");
        assertThat(OperatorSettings.from(Map.of("HOSTNAME", "host")::get).leaderIdentity()).isEqualTo("host");
        assertThat(OperatorSettings.from(Map.of("BOTFLEET_SERVER_SIDE_APPLY", "false")::get).serverSideApply())
                .isFalse();
    }

    @Test
    void everySettingIsReadFromItsVariable() {
        Map<String, String> env = Map.of(
                "BOTFLEET_NAMESPACES", "team-a, team-b",
                "BOTFLEET_RUNTIME_IMAGE", "registry.local/bot-runtime:1.2.3",
                "BOTFLEET_RUNTIME_REPLICAS", "3",
                "BOTFLEET_RUNTIME_RESOURCES", "{\"limits\": {\"memory\": \"1Gi\"}}",
                "BOTFLEET_RUNTIME_IMAGE_PULL_SECRETS", "regcred",
                "BOTFLEET_RUNTIME_NODE_SELECTOR", "{\"pool\": \"bots\"}",
                "BOTFLEET_RUNTIME_TOLERATIONS", "[{\"key\": \"bots\", \"operator\": \"Exists\", \"effect\": \"NoSchedule\"}]",
                "BOTFLEET_RECHECK_INTERVAL", "1m30s",
                "BOTFLEET_GROUP_WRITE_INTERVAL", "250ms",
                "BOTFLEET_LEADER_ELECTION", "true");
        OperatorSettings settings = OperatorSettings.from(env::get);
        assertThat(settings.namespaces()).containsExactlyInAnyOrder("team-a", "team-b");
        assertThat(settings.runtimeImage()).isEqualTo("registry.local/bot-runtime:1.2.3");
        assertThat(settings.runtimeReplicas()).isEqualTo(3);
        assertThat(settings.runtimeResources().getLimits().get("memory").toString()).isEqualTo("1Gi");
        assertThat(settings.imagePullSecrets()).containsExactly("regcred");
        assertThat(settings.nodeSelector()).containsEntry("pool", "bots");
        assertThat(settings.tolerations()).singleElement().satisfies(t -> assertThat(t.getKey()).isEqualTo("bots"));
        assertThat(settings.recheckInterval()).isEqualTo(Duration.ofSeconds(90));
        assertThat(settings.groupWriteInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(settings.leaderElection()).isTrue();
    }

    @Test
    void malformedJsonNamesTheProblem() {
        assertThatThrownBy(() -> OperatorSettings.from(Map.of("BOTFLEET_RUNTIME_NODE_SELECTOR", "pool=bots")::get))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not valid JSON");
    }

    @Test
    void blankValuesMeanTheDefaultAndListsIgnoreEmptyEntries() {
        OperatorSettings settings = OperatorSettings.from(Map.of("BOTFLEET_RUNTIME_IMAGE", "  ",
                "BOTFLEET_NAMESPACES", "team-a,, team-b ,", "BOTFLEET_RUNTIME_IMAGE_PULL_SECRETS", " ",
                "BOTFLEET_RUNTIME_NODE_SELECTOR", " ", "BOTFLEET_RUNTIME_RESOURCES", "")::get);
        assertThat(settings.runtimeImage()).isEqualTo(OperatorSettings.DEFAULT_RUNTIME_IMAGE);
        assertThat(settings.namespaces()).containsExactlyInAnyOrder("team-a", "team-b");
        assertThat(settings.imagePullSecrets()).isEmpty();
        assertThat(settings.nodeSelector()).isEmpty();
        assertThat(settings.runtimeResources().getLimits()).containsKey("memory");
        assertThat(settings.runtimeResources().getLimits().get("memory").toString()).isEqualTo("512Mi");
    }
}
