package dev.botfleet.api;

/** Observed state of an LLMProvider. */
public class LLMProviderStatus extends ResourceStatus {
}
