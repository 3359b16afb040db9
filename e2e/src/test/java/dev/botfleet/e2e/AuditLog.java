package dev.botfleet.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The API server's audit log, which e2e/cluster configures to record every write request (create, update,
 * patch, delete) and every request of a ServiceAccount, with who made it: the proof of what an operator process
 * wrote, and of which permissions it used.
 */
final class AuditLog {

    private static final Set<String> WRITES = Set.of("create", "update", "patch", "delete", "deletecollection");

    /** One request as the API server recorded it. */
    record Request(Instant received, String verb, String apiGroup, String resource, String namespace, String name,
                   String username, String credentialId, String podName, int code, boolean forbiddenByRbac) {

        boolean isWrite() {
            return WRITES.contains(verb);
        }

        @Override
        public String toString() {
            return verb + " " + resource + " " + namespace + "/" + name + " -> " + code;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;

    AuditLog(Path file) {
        this.file = file;
    }

    /**
     * Writes made with the token {@code credentialId} since {@code since}; Lease renewals and permission reviews
     * (created, never stored) left out.
     */
    List<Request> writesBy(String credentialId, Instant since) {
        return requests(write -> write.isWrite() && write.credentialId().equals(credentialId)
                && !write.received().isBefore(since) && !"leases".equals(write.resource())
                && !write.resource().endsWith("reviews"));
    }

    List<Request> requests(Predicate<Request> filter) {
        try (var lines = Files.lines(file)) {
            return lines.map(AuditLog::parse).filter(filter).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Request parse(String line) {
        try {
            JsonNode event = JSON.readTree(line);
            JsonNode object = event.path("objectRef");
            String resource = object.path("resource").asText() + (object.has("subresource")
                    ? "/" + object.path("subresource").asText() : "");
            return new Request(Instant.parse(event.path("requestReceivedTimestamp").asText()),
                    event.path("verb").asText(), object.path("apiGroup").asText(), resource,
                    object.path("namespace").asText(), object.path("name").asText(),
                    event.at("/user/username").asText(),
                    event.at("/user/extra").path("authentication.kubernetes.io/credential-id").path(0).asText(""),
                    event.at("/user/extra").path("authentication.kubernetes.io/pod-name").path(0).asText(""),
                    event.at("/responseStatus/code").asInt(),
                    "forbid".equals(event.path("annotations").path("authorization.k8s.io/decision").asText()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
