package dev.botfleet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;

@Command(name = "query", mixinStandardHelpOptions = true, description = {"Send a Poe query to a bot and stream its answer, as Poe does.",
        "Exit code: 0 when the answer ends with 'done' and no error, 1 otherwise, 2 for bad arguments."},
        footer = {"", "Examples:",
                "  botfleet query http://localhost:8080/bots/assistant 'Hello!'",
                "  botfleet query https://bots.example.com/bots/assistant --key $POE_ACCESS_KEY 'Hello!'",
                "  botfleet query http://localhost:8080/bots/assistant --settings"})
final class QueryCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "URL", description = "The bot's URL, e.g. http://localhost:8080/bots/NAME.")
    private URI url;

    @Parameters(index = "1", arity = "0..1", paramLabel = "MESSAGE", description = "The user message.")
    private String message;

    @Option(names = "--key", description = "The bot's Poe access key, sent as 'Authorization: Bearer KEY'.")
    private String key;

    @Option(names = "--settings", description = "Fetch the bot's settings instead of sending a message.")
    private boolean settings;

    @Option(names = "--timeout", defaultValue = "600", description = "Seconds to wait for the whole answer "
            + "(default: ${DEFAULT-VALUE}, as Poe's client).")
    private int timeoutSeconds;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!settings && message == null) {
            err.println("botfleet: a MESSAGE is required unless --settings is given");
            return ValidateCommand.UNUSABLE;
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        ObjectNode body = JSON.createObjectNode().put("version", "1.2").put("type", settings ? "settings" : "query");
        if (!settings) {
            body.putArray("query").addObject().put("role", "user").put("content", message)
                    .put("content_type", "text/markdown");
            body.put("user_id", "u-botfleet-cli").put("conversation_id", "c-" + UUID.randomUUID())
                    .put("message_id", "m-" + UUID.randomUUID());
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(url)
                .timeout(Duration.ofSeconds(timeoutSeconds))
                .header("Content-Type", "application/json")
                .header("Accept", settings ? "application/json" : "text/event-stream")
                .header("Cache-Control", "no-store")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        if (settings) {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                err.println("HTTP " + response.statusCode() + ": " + response.body());
                return 1;
            }
            out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(JSON.readTree(response.body())));
            return 0;
        }
        HttpResponse<java.util.stream.Stream<String>> response =
                http.send(request.build(), HttpResponse.BodyHandlers.ofLines());
        String type = response.headers().firstValue("content-type").orElse("");
        if (response.statusCode() != 200 || !type.startsWith("text/event-stream")) {
            err.println("HTTP " + response.statusCode() + ": " + String.join("\n", response.body().toList()));
            return 1;
        }
        return new Answer(out, err).read(response.body().iterator());
    }

    /** Reads a Poe event stream the way Poe's client does (fastapi_poe's rules, protocol notes §9.2). */
    private static final class Answer {

        private final PrintWriter out;
        private final PrintWriter err;
        private final List<String> suggestions = new ArrayList<>();
        private int events;
        private boolean text;
        private boolean error;
        private boolean done;

        Answer(PrintWriter out, PrintWriter err) {
            this.out = out;
            this.err = err;
        }

        int read(Iterator<String> lines) {
            String name = "message";
            StringBuilder data = null;
            while (lines.hasNext() && !done) {
                String line = lines.next();
                if (line.isEmpty()) {
                    if (data != null && !dispatch(name, data.toString())) {
                        return 1;
                    }
                    name = "message";
                    data = null;
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).strip();
                } else if (line.startsWith("data:")) {
                    String value = line.substring(5);
                    value = value.startsWith(" ") ? value.substring(1) : value;
                    data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                }
            }
            out.println();
            out.flush();
            suggestions.forEach(s -> err.println("suggested reply: " + s));
            if (!done) {
                err.println("the bot ended without a 'done' event");
                return 1;
            }
            if (!text && !error) {
                err.println("the bot returned no text");
            }
            return error ? 1 : 0;
        }

        private boolean dispatch(String name, String data) {
            events++;
            JsonNode json;
            try {
                json = JSON.readTree(data);
            } catch (IOException e) {
                err.println("invalid JSON in '" + name + "' event: " + data);
                return false;
            }
            if (json == null || !json.isObject()) {
                err.println("'" + name + "' event data is not a JSON object: " + data);
                return false;
            }
            switch (name) {
                case "text" -> {
                    text = true;
                    out.print(json.path("text").asText());
                    out.flush();
                }
                case "replace_response" -> {
                    text = true;
                    out.print("\n[the bot replaced its answer]\n" + json.path("text").asText());
                    out.flush();
                }
                case "suggested_reply" -> suggestions.add(json.path("text").asText());
                case "error" -> {
                    error = true;
                    out.flush();
                    err.println("\nerror (allow_retry=" + json.path("allow_retry").asBoolean(true) + "): "
                            + json.path("text").asText(""));
                }
                case "done" -> done = true;
                case "meta", "ping", "file", "data", "json" -> {
                    if (name.equals("meta") && events != 1) {
                        err.println("warning: 'meta' that is not the first event is ignored");
                    }
                }
                default -> err.println("warning: unknown event type '" + name + "'");
            }
            return true;
        }
    }
}
