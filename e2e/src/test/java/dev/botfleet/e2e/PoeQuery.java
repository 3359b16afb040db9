package dev.botfleet.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** One Poe query to a bot served on a local port, as Poe sends it; with its access key, or none. */
final class PoeQuery {

    private PoeQuery() {
    }

    static HttpResponse<String> send(int port, String bot, String key, String text) throws IOException,
            InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/bots/" + bot))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"version": "1.2", "type": "query", "user_id": "u", "conversation_id": "c",
                         "message_id": "m", "query": [{"role": "user", "content": "%s"}]}""".formatted(text)));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The answer's event stream, which must come with 200. */
    static String answer(int port, String bot, String key, String text) throws IOException, InterruptedException {
        HttpResponse<String> response = send(port, bot, key, text);
        if (response.statusCode() != 200) {
            throw new AssertionError("bot " + bot + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    /** The status of the answer, or -1 while nothing listens on the port. */
    static int status(int port, String bot, String key) {
        try {
            return send(port, bot, key, "hello").statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
