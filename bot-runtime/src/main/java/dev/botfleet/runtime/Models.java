package dev.botfleet.runtime;

import dev.botfleet.api.LLMBotSpec;
import dev.botfleet.runtime.config.Fleet;

import java.util.Optional;

/** Which model a bot asks for. */
public final class Models {

    private Models() {
    }

    /** The bot's model, or its provider's default; empty when neither is known. */
    public static Optional<String> effectiveModel(LLMBotSpec spec, Fleet fleet) {
        if (spec.getProviderRef() == null) {
            return Optional.ofNullable(spec.getModel());
        }
        return fleet.provider(spec.getProviderRef().getName()).map(p -> p.getSpec().modelFor(spec.getModel()))
                .or(() -> Optional.ofNullable(spec.getModel()));
    }
}
