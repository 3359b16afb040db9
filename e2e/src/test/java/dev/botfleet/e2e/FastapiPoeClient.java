package dev.botfleet.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Poe's own client library (fastapi_poe, pinned in e2e/poe/requirements.txt) driven through e2e/poe/client.py: each
 * call runs it once and returns the JSON it prints of what the client saw, its messages, the exception it ended with
 * and how often it reported a failed try.
 */
final class FastapiPoeClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private FastapiPoeClient() {
    }

    /** e2e/poe/client.py with {@code arguments}, as JSON. */
    static JsonNode run(String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(PythonEnvironment.python().toString(),
                ControlPlane.REPO.resolve("e2e/poe/client.py").toString()));
        command.addAll(List.of(arguments));
        Command.Result result = Command.of(command).run();
        if (!result.succeeded()) {
            throw new AssertionError(result.toString());
        }
        return JSON.readTree(result.out());
    }

    /** The kinds of the messages the client yielded, in order. */
    static List<String> kinds(JsonNode seen) {
        List<String> kinds = new ArrayList<>();
        seen.path("messages").forEach(message -> kinds.add(message.path("kind").asText()));
        return kinds;
    }

    /** The text of every message the client yielded, joined. */
    static String text(JsonNode seen) {
        StringBuilder text = new StringBuilder();
        seen.path("messages").forEach(message -> text.append(message.path("text").asText("")));
        return text.toString();
    }
}
