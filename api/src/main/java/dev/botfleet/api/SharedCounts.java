package dev.botfleet.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * The Redis (or Valkey) where a runtime group keeps its bots' {@code spec.limits} and {@code spec.budgets}, so that
 * they hold for all its replicas at once.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SharedCounts {

    /** What a query meets while Redis cannot be reached in time. */
    public enum OnFailure {
        /** Admitted, uncounted. */
        @JsonProperty("open") OPEN,
        /** Refused with an error that allows a retry. */
        @JsonProperty("closed") CLOSED
    }

    @Required
    @Size(min = 1, max = 512)
    @ValidationRule(value = "self.matches('" + Validation.REDIS_URL + "')",
            message = "must be redis://[user@]host[:port][/db] or rediss:// for TLS, without a password (the "
                    + "password comes from passwordSecretRef)",
            reason = "FieldValueInvalid")
    @JsonPropertyDescription("The server, redis://[user@]host[:port][/db] or rediss:// for TLS; Redis 6.2 or later, "
            + "or Valkey. No password here: it comes from passwordSecretRef.")
    private String url;

    @JsonPropertyDescription("The Secret key holding the password (of the user in url, or Redis's default user).")
    private SecretKeyRef passwordSecretRef;

    @JsonPropertyDescription("While Redis cannot be reached within half a second: open (default) admits queries "
            + "uncounted, closed refuses them with an error that allows a retry.")
    private OnFailure onFailure;

    public OnFailure effectiveOnFailure() {
        return onFailure == null ? OnFailure.OPEN : onFailure;
    }

    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public SecretKeyRef getPasswordSecretRef() {
        return passwordSecretRef;
    }

    public void setPasswordSecretRef(SecretKeyRef passwordSecretRef) {
        this.passwordSecretRef = passwordSecretRef;
    }

    public OnFailure getOnFailure() {
        return onFailure;
    }

    public void setOnFailure(OnFailure onFailure) {
        this.onFailure = onFailure;
    }
}
