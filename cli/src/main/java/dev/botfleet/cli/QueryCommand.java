package dev.botfleet.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.botfleet.handler.poe.PoeEvent;
import dev.botfleet.handler.poe.PoeEventCodec;
import dev.botfleet.handler.poe.ProtocolMessage;
import dev.botfleet.handler.poe.QueryRequest;
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
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

@Command(name = "query", mixinStandardHelpOptions = true, description = {"Send a Poe query to a bot and stream its answer, as Poe does.",
        "Exit code: 0 when the answer ends with 'done' and no error, 1 otherwise, 2 for bad arguments."},
        footer = {"", "Examples:",
                "  botfleet query http://localhost:8080/bots/assistant 'Hello!'",
                "  botfleet query https://bots.example.com/bots/assistant --key $POE_ACCESS_KEY 'Hello!'",
                "  botfleet query http://localhost:8080/bots/assistant --settings"})
final class QueryCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final PoeEventCodec CODEC = new PoeEventCodec(JSON);
    /** Sent when no --key is given; a bot with an access key refuses it, one without accepts it. */
    static final String NO_KEY = "botfleet-cli-no-key";

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "URL", description = "The bot's URL, e.g. http://localhost:8080/bots/NAME.")
    private URI url;

    @Parameters(index = "1", arity = "0..1", paramLabel = "MESSAGE", description = "The user message.")
    private String message;

    @Option(names = "--key", description = "The bot's Poe access key, sent as 'Authorization: Bearer KEY'. Without "
            + "it a placeholder is sent: Poe always sends the header, and servers such as fastapi_poe's refuse a "
            + "request without one even for a bot that has no key.")
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
        // HTTP/1.1 as Poe speaks it: on http:// the client's default would offer an h2c upgrade, which some
        // servers (uvicorn before 0.19) answer with 400.
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        ObjectNode body = settings
                ? JSON.createObjectNode().put("version", QueryRequest.PROTOCOL_VERSION).put("type", "settings")
                : JSON.<ObjectNode>valueToTree(QueryRequest.of(
                        List.of(new ProtocolMessage(ProtocolMessage.Role.USER, message)), "u-botfleet-cli",
                        "c-" + UUID.randomUUID(), "m-" + UUID.randomUUID())).put("type", "query");
        HttpRequest.Builder request = HttpRequest.newBuilder(url)
                .timeout(Duration.ofSeconds(timeoutSeconds))
                .header("Content-Type", "application/json")
                .header("Accept", settings ? "application/json" : "text/event-stream")
                .header("Cache-Control", "no-store")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        request.header("Authorization", "Bearer " + (key != null ? key : NO_KEY));
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
        return readWithin(response.body(), new Answer(out, err), err);
    }

    /**
     * Reads the answer, closing it once --timeout has passed since the request was sent: the request timeout of
     * java.net.http covers only the wait for the response's headers, not a long answer.
     */
    private int readWithin(java.util.stream.Stream<String> body, Answer answer, PrintWriter err) {
        AtomicBoolean timedOut = new AtomicBoolean();
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "query-timeout");
            thread.setDaemon(true);
            return thread;
        });
        timer.schedule(() -> {
            timedOut.set(true);
            body.close();
        }, timeoutSeconds, TimeUnit.SECONDS);
        try {
            int result = answer.read(body.iterator());
            if (timedOut.get()) {
                err.println("no complete answer within " + timeoutSeconds + " s (--timeout)");
                return 1;
            }
            return result;
        } catch (RuntimeException cut) {
            if (!timedOut.get()) {
                throw cut;
            }
            err.println("\nno complete answer within " + timeoutSeconds + " s (--timeout)");
            return 1;
        } finally {
            timer.shutdownNow();
            body.close();
        }
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
            Optional<PoeEvent> decoded;
            try {
                decoded = CODEC.decode(name, data);
            } catch (IllegalArgumentException malformed) {
                err.println(malformed.getMessage());
                return false;
            }
            if (decoded.isEmpty()) {
                if (!name.equals("ping")) {
                    err.println("warning: unknown event type '" + name + "'");
                }
                return true;
            }
            PoeEvent event = decoded.get();
            if (event instanceof PoeEvent.Text chunk) {
                text = true;
                out.print(chunk.text());
            } else if (event instanceof PoeEvent.ReplaceResponse replacement) {
                text = true;
                out.print("\n[the bot replaced its answer]\n" + replacement.text());
            } else if (event instanceof PoeEvent.SuggestedReply suggestion) {
                suggestions.add(suggestion.text());
            } else if (event instanceof PoeEvent.Error failure) {
                error = true;
                out.flush();
                err.println("\nerror (allow_retry=" + failure.allowRetry()
                        + (failure.errorType() == null ? "" : ", error_type=" + failure.errorType()) + "): "
                        + Objects.requireNonNullElse(failure.text(), ""));
            } else if (event instanceof PoeEvent.Done) {
                done = true;
            } else if (event instanceof PoeEvent.File file) {
                out.print("\n[" + Objects.requireNonNullElse(file.name(), "file") + "](" + file.url() + ")"
                        + (file.contentType() != null ? " (" + file.contentType() + ")" : "") + "\n");
            } else if (event instanceof PoeEvent.Data metadata) {
                err.println("data: " + metadata.metadata());
            } else if (event instanceof PoeEvent.Json object) {
                err.println("json: " + object.data());
            } else if (event instanceof PoeEvent.Meta && events != 1) {
                err.println("warning: 'meta' that is not the first event is ignored");
            }
            out.flush();
            return true;
        }
    }
}
