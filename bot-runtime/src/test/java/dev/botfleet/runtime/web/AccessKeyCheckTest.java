package dev.botfleet.runtime.web;

import dev.botfleet.api.LLMBot;
import dev.botfleet.handler.poe.PoeRequestException;
import dev.botfleet.runtime.config.Fleet;
import dev.botfleet.runtime.secrets.SecretRedactor;
import dev.botfleet.runtime.secrets.SecretResolver;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(OutputCaptureExtension.class)
class AccessKeyCheckTest {

    private static final String KEY = "poe-access-key-0123456789";

    private static LLMBot bot(String spec) {
        return Serialization.unmarshal("""
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {name: guarded}
                spec: %s
                """.formatted(spec), LLMBot.class);
    }

    private static final LLMBot GUARDED = bot("{handler: echo, accessKeySecretRef: {name: poe, key: access-key}}");

    private final AccessKeyCheck check = new AccessKeyCheck(new SecretResolver(null,
            Map.of("POE_ACCESS_KEY", KEY)::get, new SecretRedactor()));
    private final AccessKeyCheck keyMissing = new AccessKeyCheck(new SecretResolver(null, name -> null,
            new SecretRedactor()));
    private final Fleet fleet = new Fleet(Map.of("guarded", GUARDED), Map.of(), Map.of());

    private static int status(Runnable verification) {
        try {
            verification.run();
            return 200;
        } catch (PoeRequestException e) {
            return e.status();
        }
    }

    @Test
    void theRightKeyWithTheBearerSchemeInAnyCasePasses() {
        assertThatCode(() -> check.verify(GUARDED, fleet, "Bearer " + KEY)).doesNotThrowAnyException();
        assertThatCode(() -> check.verify(GUARDED, fleet, "bearer " + KEY)).doesNotThrowAnyException();
    }

    @Test
    void anythingElseIsRefusedWith401() {
        assertThat(status(() -> check.verify(GUARDED, fleet, null))).isEqualTo(401);
        assertThat(status(() -> check.verify(GUARDED, fleet, "Basic " + KEY))).as("the right key, another scheme")
                .isEqualTo(401);
        assertThat(status(() -> check.verify(GUARDED, fleet, KEY))).as("no scheme").isEqualTo(401);
        assertThat(status(() -> check.verify(GUARDED, fleet, "Basic: " + KEY))).as("another seven-letter scheme")
                .isEqualTo(401);
        assertThat(status(() -> check.verify(GUARDED, fleet, "Bearer"))).isEqualTo(401);
        assertThat(status(() -> check.verify(GUARDED, fleet, "Bearer " + KEY + "x"))).isEqualTo(401);
        assertThat(status(() -> check.verify(GUARDED, fleet, "Bearer " + KEY.substring(1)))).isEqualTo(401);
    }

    @Test
    void aBotWithoutAnAccessKeyAcceptsEveryCaller() {
        LLMBot open = bot("{handler: echo}");
        assertThatCode(() -> check.verify(open, fleet, null)).doesNotThrowAnyException();
        assertThatCode(() -> check.verify(open, fleet, "Basic whatever")).doesNotThrowAnyException();
    }

    @Test
    void aBotWhoseKeyCannotBeFoundRefusesEveryoneAndSaysWhereToPutIt(CapturedOutput output) {
        assertThatThrownBy(() -> keyMissing.verify(GUARDED, fleet, "Bearer " + KEY))
                .isInstanceOfSatisfying(PoeRequestException.class, e -> {
                    assertThat(e.status()).isEqualTo(503);
                    assertThat(e.getMessage()).contains("access key is not configured");
                });
        assertThat(output.getOut()).contains("bot guarded refuses requests", "POE_ACCESS_KEY")
                .doesNotContain(KEY);
    }
}
