package dev.botfleet.operator.reconcile;

import dev.botfleet.api.Condition;
import dev.botfleet.api.LLMProvider;
import dev.botfleet.api.LLMProviderStatus;
import dev.botfleet.api.SecretKeyRef;
import dev.botfleet.operator.OperatorSettings;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;

import java.util.List;
import java.util.stream.Collectors;

/** Checks that each LLMProvider's API key Secret exists and holds its key, and says so on its status. */
@ControllerConfiguration(name = "llmprovider")
public class LLMProviderReconciler implements Reconciler<LLMProvider> {

    static final String BY_SECRET = "llmprovider-by-secret";

    private final SecretKeys secrets;
    private final EventRecorder events;
    private final OperatorSettings settings;

    public LLMProviderReconciler(SecretKeys secrets, EventRecorder events, OperatorSettings settings) {
        this.secrets = secrets;
        this.events = events;
        this.settings = settings;
    }

    @Override
    public List<EventSource<?, LLMProvider>> prepareEventSources(EventSourceContext<LLMProvider> context) {
        context.getPrimaryCache().addIndexer(BY_SECRET, provider -> {
            SecretKeyRef ref = provider.getSpec().getApiKeySecretRef();
            return ref == null ? List.of() : List.of(provider.getMetadata().getNamespace() + "/" + ref.getName());
        });
        if (!settings.watchSecrets()) {
            return List.of();
        }
        return List.of(new InformerEventSource<>(
                InformerEventSourceConfiguration.from(Secret.class, LLMProvider.class)
                        .withName("labelled-secrets")
                        .withLabelSelector(settings.secretSelector())
                        .withSecondaryToPrimaryMapper(secret -> context.getPrimaryCache()
                                .byIndex(BY_SECRET, secret.getMetadata().getNamespace() + "/"
                                        + secret.getMetadata().getName())
                                .stream().map(ResourceID::fromResource).collect(Collectors.toSet()))
                        .build(), context));
    }

    @Override
    public UpdateControl<LLMProvider> reconcile(LLMProvider provider, Context<LLMProvider> context) {
        SecretKeyRef ref = provider.getSpec().getApiKeySecretRef();
        String namespace = provider.getMetadata().getNamespace();
        Long generation = provider.getMetadata().getGeneration();
        Reason reason;
        String message;
        if (ref == null) {
            reason = Reason.READY;
            message = "No API key is needed";
        } else {
            switch (secrets.check(namespace, ref)) {
                case PRESENT -> {
                    reason = Reason.READY;
                    message = "API key found in Secret " + ref.getName();
                }
                case SECRET_NOT_FOUND -> {
                    reason = Reason.SECRET_NOT_FOUND;
                    message = "Secret '" + ref.getName() + "' does not exist in namespace " + namespace
                            + "; create it with the API key under key '" + ref.getKey() + "'";
                }
                default -> {
                    reason = Reason.SECRET_KEY_MISSING;
                    message = "Secret '" + ref.getName() + "' has no key '" + ref.getKey() + "' or its value is "
                            + "empty; put the API key under that key or fix spec.apiKeySecretRef.key";
                }
            }
        }
        Condition ready = Conditions.ready(reason, message, generation, provider.getStatus());
        LLMProviderStatus status = new LLMProviderStatus();
        status.setObservedGeneration(generation);
        status.setConditions(Conditions.only(ready));
        UpdateControl<LLMProvider> control = StatusWrites.update(provider, status, reason, events, context);
        // Secrets without the watch label send no events: look again while the key is missing.
        return reason.recheck() ? control.rescheduleAfter(settings.recheckInterval()) : control;
    }
}
