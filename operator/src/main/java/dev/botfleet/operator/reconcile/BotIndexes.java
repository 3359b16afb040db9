package dev.botfleet.operator.reconcile;

import dev.botfleet.api.GroupConfig;
import dev.botfleet.api.LLMBot;
import dev.botfleet.operator.desired.RuntimeGroup;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.List;

/** The keys both controllers index their bot caches by: "namespace/name" of the group, and of each provider. */
final class BotIndexes {

    static final String BY_GROUP = "llmbot-by-group";
    static final String BY_PROVIDER = "llmbot-by-provider";

    private BotIndexes() {
    }

    static List<String> group(LLMBot bot) {
        return List.of(RuntimeGroup.of(bot).key());
    }

    static List<String> providers(LLMBot bot) {
        return GroupConfig.providerNames(bot).stream()
                .map(name -> bot.getMetadata().getNamespace() + "/" + name).distinct().toList();
    }

    static String key(HasMetadata resource) {
        return resource.getMetadata().getNamespace() + "/" + resource.getMetadata().getName();
    }
}
