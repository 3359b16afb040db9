package dev.botfleet.operator.reconcile;

import dev.botfleet.api.LLMBot;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@EnableKubernetesMockClient(crud = true)
class EventRecorderTest {

    KubernetesClient client;

    private static LLMBot bot(String name, String uid) {
        LLMBot bot = new LLMBot();
        bot.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("team").withUid(uid).build());
        return bot;
    }

    private List<Event> events() {
        return client.v1().events().inNamespace("team").list().getItems();
    }

    @Test
    void theSameEventAgainCountsOnTheOneEvent() {
        EventRecorder events = new EventRecorder(client);
        LLMBot bot = bot("assistant", "uid-1");

        events.warning(bot, "ProviderNotFound", "LLMProvider 'missing' does not exist");
        events.warning(bot, "ProviderNotFound", "LLMProvider 'missing' does not exist");
        events.warning(bot, "ProviderNotFound", "LLMProvider 'missing' does not exist");

        assertThat(events()).singleElement().satisfies(event -> {
            assertThat(event.getCount()).isEqualTo(3);
            assertThat(event.getType()).isEqualTo("Warning");
            assertThat(event.getMetadata().getName())
                    .isEqualTo(EventRecorder.name(bot, "Warning", "ProviderNotFound",
                            "LLMProvider 'missing' does not exist"))
                    .matches("assistant\\.[0-9a-f]{16}");
            assertThat(event.getInvolvedObject().getUid()).isEqualTo("uid-1");
            assertThat(event.getLastTimestamp()).isNotNull();
        });
    }

    @Test
    void anotherMessageReasonTypeOrObjectIsAnotherEvent() {
        EventRecorder events = new EventRecorder(client);
        LLMBot bot = bot("assistant", "uid-1");

        events.warning(bot, "ProviderNotFound", "LLMProvider 'a' does not exist");
        events.warning(bot, "ProviderNotFound", "LLMProvider 'b' does not exist");
        events.warning(bot, "ModelNotAllowed", "LLMProvider 'b' does not exist");
        events.normal(bot, "ModelNotAllowed", "LLMProvider 'b' does not exist");
        events.warning(bot("assistant", "uid-2"), "ProviderNotFound", "LLMProvider 'a' does not exist");

        assertThat(events()).hasSize(5).allSatisfy(event -> assertThat(event.getCount()).isEqualTo(1));
    }
}
