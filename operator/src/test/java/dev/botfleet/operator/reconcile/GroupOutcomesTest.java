package dev.botfleet.operator.reconcile;

import dev.botfleet.api.LLMBot;
import dev.botfleet.operator.desired.RuntimeGroup;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class GroupOutcomesTest {

    private static final RuntimeGroup WEB = new RuntimeGroup("team-a", "web");
    private static final RuntimeGroup SIDE = new RuntimeGroup("team-a", "side");
    private static final List<String> HANDLERS = List.of("echo", "llm");

    private final GroupOutcomes outcomes = new GroupOutcomes();
    private final List<String> woken = new ArrayList<>();

    @BeforeEach
    void recordWakes() {
        outcomes.changes().setEventHandler(event -> {
            ResourceID id = event.getRelatedCustomResourceID();
            woken.add(id.getNamespace().orElseThrow() + "/" + id.getName());
        });
        outcomes.changes().start();
    }

    private static GroupOutcomes.Outcome outcome(Map<String, Long> judged, Set<String> tooLarge, boolean available) {
        return new GroupOutcomes.Outcome(judged, tooLarge, HANDLERS, available, null);
    }

    private static LLMBot bot(String name, long generation) {
        LLMBot bot = new LLMBot();
        bot.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("team-a").withGeneration(generation)
                .build());
        return bot;
    }

    @Test
    void aFirstOutcomeWakesEveryBotItJudged() {
        outcomes.publish(WEB, outcome(Map.of("a", 1L, "b", 3L), Set.of(), false));

        assertThat(woken).containsExactlyInAnyOrder("team-a/a", "team-a/b");
        assertThat(outcomes.of(WEB).orElseThrow().judges(bot("b", 3))).isTrue();
        assertThat(outcomes.of(WEB).orElseThrow().judges(bot("b", 4))).as("a newer spec is not judged yet").isFalse();
        assertThat(outcomes.of(SIDE)).isEmpty();
    }

    @Test
    void onlyTheBotsWhoseVerdictMayChangeAreWoken() {
        outcomes.publish(WEB, outcome(Map.of("a", 1L, "b", 1L, "c", 1L), Set.of(), false));
        woken.clear();

        outcomes.publish(WEB, outcome(Map.of("a", 2L, "b", 1L, "c", 1L), Set.of("c"), false));
        assertThat(woken).containsExactlyInAnyOrder("team-a/a", "team-a/c");

        woken.clear();
        outcomes.publish(WEB, outcome(Map.of("a", 2L, "b", 1L, "c", 1L), Set.of("c"), false));
        assertThat(woken).as("the same outcome again").isEmpty();

        outcomes.publish(WEB, outcome(Map.of("a", 2L, "b", 1L, "c", 1L), Set.of("c"), true));
        assertThat(woken).as("the group became available").containsExactlyInAnyOrder("team-a/a", "team-a/b",
                "team-a/c");
    }

    @Test
    void aBotThatLeftIsWokenAndRememberedWhereItWasUntilThen() {
        outcomes.publish(WEB, outcome(Map.of("a", 1L, "b", 1L), Set.of(), false));
        assertThat(outcomes.lastGroupOf("team-a", "b")).contains(WEB);
        woken.clear();

        outcomes.publish(SIDE, outcome(Map.of("b", 2L), Set.of(), false));
        assertThat(outcomes.lastGroupOf("team-a", "b")).contains(SIDE);
        outcomes.publish(WEB, outcome(Map.of("a", 1L), Set.of(), false));

        assertThat(woken).containsExactly("team-a/b", "team-a/b");
        assertThat(outcomes.lastGroupOf("team-a", "b")).as("the old group does not take it back").contains(SIDE);
        assertThat(outcomes.lastGroupOf("team-a", "nobody")).isEmpty();
    }

    @Test
    void aFailureJudgesEveryMemberAndWakesThoseNotWokenBefore() {
        outcomes.publish(WEB, outcome(Map.of("a", 1L), Set.of(), true));
        woken.clear();
        GroupOutcomes.Failure refused = new GroupOutcomes.Failure(Reason.WRITE_REFUSED, "forbidden");

        outcomes.fail(WEB, List.of("a", "new"), refused);

        assertThat(woken).containsExactlyInAnyOrder("team-a/a", "team-a/new");
        GroupOutcomes.Outcome failed = outcomes.of(WEB).orElseThrow();
        assertThat(failed.failure()).isEqualTo(refused);
        assertThat(failed.judges(bot("new", 1))).isTrue();
        assertThat(failed.available()).as("what was known of the group stays").isTrue();

        woken.clear();
        outcomes.publish(WEB, outcome(Map.of("a", 1L, "new", 1L), Set.of(), true));
        assertThat(woken).as("the failure is over").containsExactlyInAnyOrder("team-a/a", "team-a/new");
    }

    @Test
    void aForgottenGroupWakesItsBotsAndHasNoOutcome() {
        outcomes.publish(WEB, outcome(Map.of("a", 1L), Set.of(), true));
        woken.clear();

        outcomes.forget(WEB);

        assertThat(woken).containsExactly("team-a/a");
        assertThat(outcomes.of(WEB)).isEmpty();
        assertThat(outcomes.lastGroupOf("team-a", "a")).isEmpty();
    }
}
