package dev.botfleet.runtime;

import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.system.CapturedOutput;
import org.junit.jupiter.api.extension.ExtendWith;
import dev.botfleet.runtime.poe.UserError;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.botfleet.testing.FakeOpenAiServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/** spec.images through the Poe endpoint: the image parts the provider receives, or the error instead. */
@ExtendWith(OutputCaptureExtension.class)
class ImageAttachmentsTest extends RuntimeTestBase {

    /** The eight bytes every PNG starts with, then padding. */
    private static final byte[] PNG = Arrays.copyOf(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10}, 64);
    private static HttpServer images;

    @BeforeAll
    static void serveImages() throws IOException {
        images = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        images.createContext("/small.png", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/octet-stream");
            exchange.sendResponseHeaders(200, PNG.length);
            exchange.getResponseBody().write(PNG);
            exchange.close();
        });
        images.createContext("/large.png", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "image/png");
            exchange.sendResponseHeaders(200, 0);
            exchange.getResponseBody().write(Arrays.copyOf(PNG, 4096));
            exchange.close();
        });
        images.createContext("/slow.png", exchange -> {
            try {
                Thread.sleep(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(200, PNG.length);
            exchange.getResponseBody().write(PNG);
            exchange.close();
        });
        images.createContext("/", exchange -> {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        images.setExecutor(Executors.newCachedThreadPool());
        images.start();
    }

    @AfterAll
    static void stopImages() {
        images.stop(0);
    }

    private static String image(String path) {
        return "http://127.0.0.1:" + images.getAddress().getPort() + path;
    }

    private static ObjectNode withImage(String url) {
        ObjectNode body = PoeClient.query("What is in this picture?");
        ObjectNode message = (ObjectNode) body.path("query").get(0);
        message.putArray("attachments").addObject().put("url", url).put("content_type", "image/png")
                .put("name", "chart.png");
        return body;
    }

    private static JsonNode lastMessageSent() {
        JsonNode messages = UPSTREAM.lastRequest().body().path("messages");
        return messages.get(messages.size() - 1);
    }

    @Test
    void aBotWithImagesByUrlSendsPoesUrlAsAnImagePart() {
        String poeUrl = "https://pfst.cf2.poecdn.net/base/image/chart.png";
        UPSTREAM.enqueue(FakeOpenAiServer.Reply.chunks("A bar chart."));
        assertThat(SseEvents.names(poe.ask("vision-url", withImage(poeUrl)))).doesNotContain("error");

        JsonNode content = lastMessageSent().path("content");
        assertThat(content.get(0).path("type").asText()).isEqualTo("text");
        assertThat(content.get(0).path("text").asText()).isEqualTo("What is in this picture?");
        assertThat(content.get(1).path("type").asText()).isEqualTo("image_url");
        assertThat(content.get(1).path("image_url").path("url").asText()).isEqualTo(poeUrl);
        assertThat(content).hasSize(2);
    }

    @Test
    void aBotWithoutImagesSendsTheTextAlone() {
        poe.ask("open", withImage("https://pfst.cf2.poecdn.net/base/image/chart.png"));

        assertThat(lastMessageSent().path("content").isTextual()).isTrue();
        assertThat(lastMessageSent().path("content").asText()).isEqualTo("What is in this picture?");
    }

    @Test
    void anInlinedImageTravelsAsADataUrlOfItsSniffedType() {
        UPSTREAM.enqueue(FakeOpenAiServer.Reply.chunks("Nothing much."));
        assertThat(SseEvents.names(poe.ask("vision-inline", withImage(image("/small.png")))))
                .doesNotContain("error");

        assertThat(lastMessageSent().path("content").get(1).path("image_url").path("url").asText())
                .isEqualTo("data:image/png;base64," + Base64.getEncoder().encodeToString(PNG));
    }

    @Test
    void anImageOverTheSizeLimitIsAUserCausedErrorAndNothingIsSent(CapturedOutput output) {
        List<SseEvents.Event> events = poe.ask("vision-inline", withImage(image("/large.png")));

        assertThat(SseEvents.names(events)).containsExactly("error", "done");
        assertThat(events.get(0).text()).isEqualTo(UserError.IMAGE_TOO_LARGE.in("en", "2 KB").text());
        assertThat(events.get(0).data().path("error_type").asText()).isEqualTo("user_caused_error");
        assertThat(events.get(0).data().path("allow_retry").asBoolean()).isFalse();
        assertThat(ownerLog(output, "vision-inline")).contains("larger than this bot takes (2048 bytes)");
        assertThat(UPSTREAM.requests()).isEmpty();
    }

    @Test
    void aMissingImageIsAnErrorAndTheOwnersLogNamesTheStatus(CapturedOutput output) {
        List<SseEvents.Event> events = poe.ask("vision-inline", withImage(image("/gone.png")));

        assertThat(SseEvents.names(events)).containsExactly("error", "done");
        assertTold(events.get(0), UserError.IMAGE_UNAVAILABLE);
        assertThat(ownerLog(output, "vision-inline")).contains("HTTP 404");
        assertThat(UPSTREAM.requests()).isEmpty();
    }

    @Test
    void aSlowImageServerEndsTheWaitAtTheFetchTimeout(CapturedOutput output) {
        long started = System.nanoTime();
        List<SseEvents.Event> events = poe.ask("vision-inline", withImage(image("/slow.png")));

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(2500));
        assertThat(SseEvents.names(events)).containsExactly("error", "done");
        assertTold(events.get(0), UserError.IMAGE_NOT_FETCHED);
        assertThat(ownerLog(output, "vision-inline")).contains("within 1 s");
        assertThat(UPSTREAM.requests()).isEmpty();
    }

    @Test
    void theSettingsTellPoeTheBotTakesAttachments() throws Exception {
        var response = poe.post("/bots/vision-url", "{\"version\": \"1.2\", \"type\": \"settings\"}");

        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body())
                .path("allow_attachments").asBoolean()).isTrue();
    }
}
