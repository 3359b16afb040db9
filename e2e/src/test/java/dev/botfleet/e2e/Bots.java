package dev.botfleet.e2e;

import dev.botfleet.api.Condition;
import dev.botfleet.api.LLMBot;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.time.Duration;
import java.util.Optional;

import static org.awaitility.Awaitility.await;

/** Reading LLMBots and their Ready condition off the API server. */
final class Bots {

    private Bots() {
    }

    /** The bot's Ready condition, if it has one. */
    static Optional<Condition> ready(KubernetesClient client, String namespace, String name) {
        return condition(client, namespace, name, Condition.READY);
    }

    /** The bot's condition of {@code type}, if it has one. */
    static Optional<Condition> condition(KubernetesClient client, String namespace, String name, String type) {
        LLMBot bot = client.resources(LLMBot.class).inNamespace(namespace).withName(name).get();
        if (bot == null || bot.getStatus() == null) {
            return Optional.empty();
        }
        return bot.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    /** Waits until the bot's Ready condition carries {@code reason}, and returns it. */
    static Condition awaitReason(KubernetesClient client, String namespace, String name, String reason) {
        return awaitReason(client, namespace, name, Condition.READY, reason);
    }

    /** Waits until the bot's condition of {@code type} carries {@code reason}, and returns it. */
    static Condition awaitReason(KubernetesClient client, String namespace, String name, String type,
                                 String reason) {
        return await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                .until(() -> condition(client, namespace, name, type).orElse(null),
                        condition -> condition != null && reason.equals(condition.getReason()));
    }
}
