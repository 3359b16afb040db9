package dev.botfleet.operator.reconcile;

import dev.botfleet.api.Condition;
import dev.botfleet.api.GroupConfig;
import dev.botfleet.api.LLMBot;
import dev.botfleet.api.LLMProvider;
import dev.botfleet.api.SecretKeyRef;
import dev.botfleet.operator.desired.RuntimeGroup;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Whether a bot is Ready, and if not why and what to do: a pure function of the bot, its providers, whether its
 * access key exists, and the state of its runtime group. The first problem found wins, in the order a person
 * would fix them: the handler, the provider and model, the access key, room in the group, the runtime itself.
 */
final class BotReadiness {

    /** What readiness needs to know of the bot's runtime group once it has been brought in line. */
    record GroupView(List<String> handlers, Collection<String> tooLarge, boolean available) {
    }

    /** A reason and a message a person can act on. */
    record Verdict(Reason reason, String message) {
    }

    private BotReadiness() {
    }

    static Verdict of(LLMBot bot, RuntimeGroup group, GroupView view, Function<String, Optional<LLMProvider>> providers,
                      Predicate<SecretKeyRef> accessKeyPresent) {
        String handler = bot.getSpec().effectiveHandler();
        if (!view.handlers().contains(handler)) {
            return new Verdict(Reason.HANDLER_NOT_AVAILABLE, "the runtime image of group '" + group.name()
                    + "' has no handler '" + handler + "' (it has " + String.join(", ", view.handlers()) + "); run "
                    + "the group on a custom image that packages it, declared in the spec.handlers of a BotRuntime "
                    + "named '" + group.name() + "'");
        }
        Optional<Verdict> providerProblem = providerProblem(bot, providers);
        if (providerProblem.isPresent()) {
            return providerProblem.get();
        }
        Optional<String> missingAccessKey = bot.getSpec().missingAccessKey(name -> providers.apply(name)
                .map(LLMProvider::getSpec));
        if (missingAccessKey.isPresent()) {
            return new Verdict(Reason.ACCESS_KEY_REQUIRED, missingAccessKey.get());
        }
        SecretKeyRef accessKey = bot.getSpec().getAccessKeySecretRef();
        if (accessKey != null && !accessKeyPresent.test(accessKey)) {
            return new Verdict(Reason.ACCESS_KEY_NOT_FOUND, "the Poe access key is not in Secret '"
                    + accessKey.getName() + "' under key '" + accessKey.getKey() + "'; create it with the key from "
                    + "the bot's Poe settings page");
        }
        if (view.tooLarge().contains(bot.getMetadata().getName())) {
            return new Verdict(Reason.RUNTIME_CONFIG_TOO_LARGE, "runtime group '" + group.name() + "' has no room "
                    + "for this bot: its ConfigMap would exceed " + GroupConfig.MAX_BYTES + " bytes; move the bot to "
                    + "another group with spec.runtime");
        }
        if (!view.available()) {
            return new Verdict(Reason.RUNTIME_NOT_AVAILABLE, "waiting for Deployment " + group.objectName()
                    + " to have an available replica");
        }
        return new Verdict(Reason.READY, "served at " + group.endpoint(bot.getMetadata().getName()));
    }

    /** What keeps the bot's provider from answering it, if anything; nothing for a bot without a provider. */
    private static Optional<Verdict> providerProblem(LLMBot bot, Function<String, Optional<LLMProvider>> providers) {
        if (bot.getSpec().getProviderRef() == null) {
            return Optional.empty();
        }
        String namespace = bot.getMetadata().getNamespace();
        String providerName = bot.getSpec().getProviderRef().getName();
        Optional<LLMProvider> provider = providers.apply(providerName);
        if (provider.isEmpty()) {
            return Optional.of(new Verdict(Reason.PROVIDER_NOT_FOUND, "LLMProvider '" + providerName
                    + "' does not exist in namespace " + namespace + "; create it or fix spec.providerRef.name"));
        }
        Condition providerReady = Conditions.find(provider.get().getStatus());
        if (providerReady != null && Condition.FALSE.equals(providerReady.getStatus())) {
            return Optional.of(new Verdict(Reason.PROVIDER_NOT_READY, "LLMProvider '" + providerName
                    + "' is not ready: " + providerReady.getMessage()));
        }
        String model = provider.get().getSpec().modelFor(bot.getSpec().getModel());
        return provider.get().getSpec().modelRefusal(providerName, model)
                .or(() -> bot.getSpec().parameterModels().stream()
                        .flatMap(choice -> provider.get().getSpec().modelRefusal(providerName, choice).stream())
                        .findFirst().map(refusal -> "spec.parameters.model: " + refusal))
                .map(refusal -> new Verdict(Reason.MODEL_NOT_ALLOWED, refusal));
    }
}
