package dev.botfleet.operator.reconcile;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClientException;

/** What an API server's refusal means for the person reading a bot's status. */
final class ApiErrors {

    /** Longest API message copied into a condition: enough for RBAC, quota and admission explanations. */
    static final int MAX_MESSAGE = 1024;

    private ApiErrors() {
    }

    /** Whether the request was refused because its namespace is being deleted. */
    static boolean namespaceTerminating(Exception e) {
        Status status = e instanceof KubernetesClientException k ? k.getStatus() : null;
        return status != null && status.getDetails() != null && status.getDetails().getCauses() != null
                && status.getDetails().getCauses().stream().anyMatch(c -> "NamespaceTerminating".equals(c.getReason()));
    }

    /** Whether the API server answered the request with a refusal (4xx), rather than failing to answer. */
    static boolean refused(Exception e) {
        return e instanceof KubernetesClientException k && k.getCode() >= 400 && k.getCode() < 500;
    }

    /** The API server's own explanation, or the exception's message when there is none. */
    static String message(Exception e) {
        String message = e instanceof KubernetesClientException k && k.getStatus() != null
                && k.getStatus().getMessage() != null ? k.getStatus().getMessage() : String.valueOf(e.getMessage());
        return message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE) + "…";
    }
}
