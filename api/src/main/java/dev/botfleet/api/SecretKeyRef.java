package dev.botfleet.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/** One key of a Secret in the resource's namespace. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SecretKeyRef {

    private static final Pattern NOT_LETTER_OR_DIGIT = Pattern.compile("[^A-Z0-9]");

    @Required
    @io.fabric8.generator.annotation.Pattern(Validation.DNS_SUBDOMAIN)
    @Size(min = 1, max = 253)
    @JsonPropertyDescription("Name of the Secret, in the same namespace.")
    private String name;

    @Required
    @io.fabric8.generator.annotation.Pattern(Validation.SECRET_KEY)
    @Size(min = 1, max = 253)
    @JsonPropertyDescription("Key within the Secret's data whose value is used.")
    private String key;

    public SecretKeyRef() {
    }

    public SecretKeyRef(String name, String key) {
        this.name = name;
        this.key = key;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getKey() {
        return key;
    }

    public void setKey(String key) {
        this.key = key;
    }

    /**
     * The environment variable a local run reads the value from: {@code <name>_<key>} upper-cased, every character
     * other than a letter or digit as {@code _} (Secret {@code openai}, key {@code api-key}: {@code OPENAI_API_KEY}).
     */
    public String environmentVariable() {
        return NOT_LETTER_OR_DIGIT.matcher((name + "_" + key).toUpperCase(Locale.ROOT)).replaceAll("_");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SecretKeyRef other && Objects.equals(name, other.name) && Objects.equals(key, other.key);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, key);
    }

    @Override
    public String toString() {
        return name + "/" + key;
    }
}
