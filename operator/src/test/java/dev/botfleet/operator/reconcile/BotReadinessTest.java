package dev.botfleet.operator.reconcile;

import dev.botfleet.api.Condition;
import dev.botfleet.api.LLMBot;
import dev.botfleet.api.LLMProvider;
import dev.botfleet.api.LLMProviderStatus;
import dev.botfleet.operator.desired.RuntimeGroup;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Readiness as a pure function: every reason, and which wins when several apply. */
class BotReadinessTest {

    private static final RuntimeGroup GROUP = new RuntimeGroup("team-a", "default");
    private static final BotReadiness.GroupView UP = new BotReadiness.GroupView(List.of("echo", "llm"), Set.of(), true);

    private static LLMBot bot(String spec) {
        return Serialization.unmarshal("""
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {name: helper, namespace: team-a}
                spec: %s
                """.formatted(spec), LLMBot.class);
    }

    private static LLMProvider provider(String spec, String readyStatus) {
        LLMProvider provider = Serialization.unmarshal("""
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMProvider
                metadata: {name: openai, namespace: team-a}
                spec: %s
                """.formatted(spec), LLMProvider.class);
        if (readyStatus != null) {
            LLMProviderStatus status = new LLMProviderStatus();
            status.setConditions(List.of(new Condition(Condition.READY, readyStatus, "SecretNotFound",
                    "Secret 'openai' does not exist")));
            provider.setStatus(status);
        }
        return provider;
    }

    private static final LLMProvider OPENAI = provider("{baseUrl: 'https://api.openai.com/v1', "
            + "defaultModel: gpt-4o-mini, models: [gpt-4o-mini, gpt-4o]}", null);

    private static BotReadiness.Verdict verdict(LLMBot bot, BotReadiness.GroupView view, Map<String, LLMProvider> providers,
                                                boolean accessKeyPresent) {
        return BotReadiness.of(bot, GROUP, view, name -> Optional.ofNullable(providers.get(name)),
                key -> accessKeyPresent);
    }

    @Test
    void aBotWithEverythingInPlaceIsReadyAndSaysWhere() {
        BotReadiness.Verdict verdict = verdict(bot("{providerRef: {name: openai}}"), UP, Map.of("openai", OPENAI), true);
        assertThat(verdict.reason()).isEqualTo(Reason.READY);
        assertThat(verdict.message()).isEqualTo("served at http://botfleet-default.team-a.svc/bots/helper");
    }

    @Test
    void eachMissingPieceHasItsReason() {
        assertThat(verdict(bot("{handler: sign}"), UP, Map.of(), true))
                .satisfies(v -> assertThat(v.reason()).isEqualTo(Reason.HANDLER_NOT_AVAILABLE))
                .satisfies(v -> assertThat(v.message()).contains("no handler 'sign' (it has echo, llm)",
                        "BotRuntime named 'default'"));
        assertThat(verdict(bot("{providerRef: {name: openai}}"), UP, Map.of(), true))
                .satisfies(v -> assertThat(v.reason()).isEqualTo(Reason.PROVIDER_NOT_FOUND))
                .satisfies(v -> assertThat(v.message()).contains("LLMProvider 'openai' does not exist in namespace "
                        + "team-a"));
        assertThat(verdict(bot("{providerRef: {name: openai}}"), UP,
                Map.of("openai", provider("{baseUrl: 'https://x/v1', defaultModel: m}", Condition.FALSE)), true))
                .satisfies(v -> assertThat(v.reason()).isEqualTo(Reason.PROVIDER_NOT_READY))
                .satisfies(v -> assertThat(v.message()).contains("is not ready: Secret 'openai' does not exist"));
        assertThat(verdict(bot("{providerRef: {name: openai}, model: gpt-3}"), UP, Map.of("openai", OPENAI), true))
                .satisfies(v -> assertThat(v.reason()).isEqualTo(Reason.MODEL_NOT_ALLOWED))
                .satisfies(v -> assertThat(v.message()).contains("model 'gpt-3'", "[gpt-4o-mini, gpt-4o]"));
        assertThat(verdict(bot("""
                {providerRef: {name: openai}, poe: {parameterControls: {sections: [{controls: [{control: divider}]}]}},
                 parameters: {model: {parameterName: model, models: [gpt-4o, o3]}}}"""), UP, Map.of("openai", OPENAI),
                true))
                .satisfies(v -> assertThat(v.reason()).isEqualTo(Reason.MODEL_NOT_ALLOWED))
                .satisfies(v -> assertThat(v.message()).startsWith("spec.parameters.model: model 'o3'"));
        assertThat(verdict(bot("{providerRef: {name: openai}, fallbacks: [{providerRef: {name: poe-bots}}]}"), UP,
                Map.of("openai", OPENAI, "poe-bots", provider("{protocol: poe, defaultModel: GPT-4o}", null)), true))
                .satisfies(v -> assertThat(v.reason()).isEqualTo(Reason.ACCESS_KEY_REQUIRED))
                .satisfies(v -> assertThat(v.message()).contains("LLMProvider 'poe-bots' calls Poe bots with the "
                        + "calling bot's own access key", "set spec.accessKeySecretRef"));
        assertThat(verdict(bot("{handler: echo, accessKeySecretRef: {name: poe, key: access-key}}"), UP, Map.of(),
                false))
                .satisfies(v -> assertThat(v.reason()).isEqualTo(Reason.ACCESS_KEY_NOT_FOUND))
                .satisfies(v -> assertThat(v.message()).contains("Secret 'poe' under key 'access-key'"));
        assertThat(verdict(bot("{handler: echo}"), new BotReadiness.GroupView(List.of("echo"), Set.of("helper"), true),
                Map.of(), true).reason()).isEqualTo(Reason.RUNTIME_CONFIG_TOO_LARGE);
        assertThat(verdict(bot("{handler: echo}"), new BotReadiness.GroupView(List.of("echo"), Set.of(), false),
                Map.of(), true))
                .satisfies(v -> assertThat(v.reason()).isEqualTo(Reason.RUNTIME_NOT_AVAILABLE))
                .satisfies(v -> assertThat(v.message()).contains("Deployment botfleet-default"));
    }

    @Test
    void aProviderWithoutStatusYetAndTheDefaultModelAreFine() {
        assertThat(verdict(bot("{providerRef: {name: openai}}"), UP,
                Map.of("openai", provider("{baseUrl: 'https://x/v1', defaultModel: m}", Condition.TRUE)), true)
                .reason()).isEqualTo(Reason.READY);
    }

    @Test
    void theFirstProblemInTheOrderAPersonFixesThemWins() {
        BotReadiness.GroupView everythingWrong = new BotReadiness.GroupView(List.of("llm"), Set.of("helper"), false);
        LLMBot bot = bot("{handler: echo, providerRef: {name: missing}, accessKeySecretRef: {name: p, key: k}}");
        assertThat(verdict(bot, everythingWrong, Map.of(), false).reason()).isEqualTo(Reason.HANDLER_NOT_AVAILABLE);
        assertThat(verdict(bot, new BotReadiness.GroupView(List.of("echo"), Set.of("helper"), false), Map.of(), false)
                .reason()).isEqualTo(Reason.PROVIDER_NOT_FOUND);
        LLMBot keyed = bot("{handler: echo, accessKeySecretRef: {name: p, key: k}}");
        assertThat(verdict(keyed, new BotReadiness.GroupView(List.of("echo"), Set.of("helper"), false), Map.of(), false)
                .reason()).isEqualTo(Reason.ACCESS_KEY_NOT_FOUND);
        assertThat(verdict(keyed, new BotReadiness.GroupView(List.of("echo"), Set.of("helper"), false), Map.of(), true)
                .reason()).isEqualTo(Reason.RUNTIME_CONFIG_TOO_LARGE);
    }

    @Test
    void reasonsKnowWhatTheyMean() {
        assertThat(Reason.RUNTIME_NOT_AVAILABLE.recordsEvent()).isFalse();
        assertThat(Reason.READY.recordsEvent()).isFalse();
        assertThat(Reason.PROVIDER_NOT_FOUND.recordsEvent()).isTrue();
        assertThat(Reason.ACCESS_KEY_NOT_FOUND.recheck()).isTrue();
        assertThat(Reason.SECRET_KEY_MISSING.recheck()).isTrue();
        assertThat(Reason.MODEL_NOT_ALLOWED.recheck()).isFalse();
        assertThat(Reason.READY.ready()).isTrue();
        assertThat(Reason.RUNTIME_NOT_AVAILABLE.ready()).isFalse();
        assertThat(Reason.ACCESS_KEY_NOT_FOUND.recordsEvent()).isTrue();
        assertThat(Reason.WRITE_REFUSED.value()).isEqualTo("WriteRefused");
    }
}
