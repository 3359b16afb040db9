package dev.botfleet.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import java.util.Objects;

/** Observed state of an LLMBot. */
public class LLMBotStatus extends ResourceStatus {

    @JsonPropertyDescription("Runtime group serving the bot.")
    private String runtime;

    @JsonPropertyDescription("In-cluster URL of the bot's Poe endpoint, "
            + "http://botfleet-<group>.<namespace>.svc/bots/<name>.")
    private String endpoint;

    @JsonPropertyDescription("Hash of the settings last pushed to Poe for spec.poe.botName (the operator pushes "
            + "them again when the bot's settings hash differently).")
    private String poeSettingsHash;

    public String getRuntime() {
        return runtime;
    }

    public void setRuntime(String runtime) {
        this.runtime = runtime;
    }

    public String getEndpoint() {
        return endpoint;
    }

    public void setEndpoint(String endpoint) {
        this.endpoint = endpoint;
    }

    public String getPoeSettingsHash() {
        return poeSettingsHash;
    }

    public void setPoeSettingsHash(String poeSettingsHash) {
        this.poeSettingsHash = poeSettingsHash;
    }

    @Override
    public boolean equals(Object o) {
        return super.equals(o) && Objects.equals(runtime, ((LLMBotStatus) o).runtime)
                && Objects.equals(endpoint, ((LLMBotStatus) o).endpoint)
                && Objects.equals(poeSettingsHash, ((LLMBotStatus) o).poeSettingsHash);
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), runtime, endpoint, poeSettingsHash);
    }
}
