package dev.botfleet.runtime.secrets;

import dev.botfleet.api.SecretKeyRef;
import dev.botfleet.runtime.config.Fleet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SecretResolverTest {

    private static final SecretKeyRef OPENAI = new SecretKeyRef("openai", "api-key");

    @TempDir
    Path secrets;

    private final Map<String, String> environment = new java.util.HashMap<>();

    private SecretResolver resolver() {
        return new SecretResolver(secrets, environment::get, new SecretRedactor());
    }

    private static Fleet fleetWithSecret(String value) {
        return new Fleet(Map.of(), Map.of(), Map.of("openai", Map.of("api-key", value)));
    }

    @Test
    void environmentVariableIsTheSecretAndKeyUpperCasedWithUnderscores() {
        assertThat(OPENAI.environmentVariable()).isEqualTo("OPENAI_API_KEY");
        assertThat(new SecretKeyRef("poe.team-a", "access.key").environmentVariable())
                .isEqualTo("POE_TEAM_A_ACCESS_KEY");
    }

    @Test
    void mountedFileWinsOverSecretDocumentWhichWinsOverEnvironment() throws IOException {
        environment.put("OPENAI_API_KEY", "from-env");
        assertThat(resolver().resolve(OPENAI, Fleet.empty())).hasValue("from-env");
        assertThat(resolver().resolve(OPENAI, fleetWithSecret("from-doc"))).hasValue("from-doc");

        Files.createDirectories(secrets.resolve("openai"));
        Files.writeString(secrets.resolve("openai/api-key"), "from-file\n");
        assertThat(resolver().resolve(OPENAI, fleetWithSecret("from-doc"))).hasValue("from-file");
    }

    @Test
    void aRewrittenFileIsReadAgainOnTheNextRefreshNotByTheRequest() throws IOException {
        Files.createDirectories(secrets.resolve("openai"));
        Files.writeString(secrets.resolve("openai/api-key"), "first");
        SecretResolver resolver = resolver();
        assertThat(resolver.resolve(OPENAI, Fleet.empty())).hasValue("first");
        Files.writeString(secrets.resolve("openai/api-key"), "second");
        assertThat(resolver.resolve(OPENAI, Fleet.empty())).as("kept in memory").hasValue("first");

        resolver.refresh(Fleet.empty());

        assertThat(resolver.resolve(OPENAI, Fleet.empty())).hasValue("second");
    }

    @Test
    void aRefreshReadsTheKeysTheFleetNamesBeforeAnyRequestAsksAndRemembersThemForRedaction() throws IOException {
        Files.createDirectories(secrets.resolve("openai"));
        Files.writeString(secrets.resolve("openai/api-key"), "sk-preloaded-0123");
        SecretRedactor redactor = new SecretRedactor();
        SecretResolver resolver = new SecretResolver(secrets, environment::get, redactor);
        dev.botfleet.api.LLMProvider provider = new dev.botfleet.api.LLMProvider();
        provider.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName("openai").build());
        provider.setSpec(new dev.botfleet.api.LLMProviderSpec());
        provider.getSpec().setApiKeySecretRef(OPENAI);

        resolver.refresh(new Fleet(Map.of(), Map.of("openai", provider), Map.of()));
        Files.delete(secrets.resolve("openai/api-key"));

        assertThat(redactor.redact("key sk-preloaded-0123")).isEqualTo("key [redacted]");
        assertThat(resolver.resolve(OPENAI, Fleet.empty())).as("read by the refresh").hasValue("sk-preloaded-0123");
    }

    @Test
    void emptyValuesCountAsMissing() {
        environment.put("OPENAI_API_KEY", "  ");
        assertThat(resolver().resolve(OPENAI, fleetWithSecret(""))).isEmpty();
    }

    @Test
    void whereToPutNamesEveryPlaceAndNoValue() {
        environment.put("OPENAI_API_KEY", "sk-never-shown");
        String hint = resolver().whereToPut(OPENAI);
        assertThat(hint).contains("OPENAI_API_KEY", secrets.resolve("openai/api-key").toString(), "'openai'")
                .doesNotContain("sk-never-shown");
    }

    @Test
    void withoutASecretsDirectoryDocumentsAndTheEnvironmentStillServe() {
        SecretResolver noDirectory = new SecretResolver(null, environment::get, new SecretRedactor());
        assertThat(noDirectory.resolve(OPENAI, fleetWithSecret("sk-from-document"))).hasValue("sk-from-document");
        environment.put("OPENAI_API_KEY", "sk-from-environment");
        assertThat(noDirectory.resolve(OPENAI, Fleet.empty())).hasValue("sk-from-environment");
        assertThat(noDirectory.whereToPut(OPENAI)).contains("OPENAI_API_KEY").doesNotContain("null");
    }

    @Test
    void resolvedValuesAreRedactedFromThenOn() {
        SecretRedactor redactor = new SecretRedactor();
        new SecretResolver(null, environment::get, redactor).resolve(OPENAI, fleetWithSecret("sk-never-shown-0123"));
        assertThat(redactor.redact("the key sk-never-shown-0123")).isEqualTo("the key [redacted]");
    }

    @Test
    void aDirectoryWhereTheKeyFileShouldBeIsNotAKey() throws IOException {
        Files.createDirectories(secrets.resolve("openai").resolve("api-key"));
        environment.put("OPENAI_API_KEY", "sk-from-environment");
        assertThat(resolver().resolve(OPENAI, Fleet.empty())).hasValue("sk-from-environment");
    }
}
