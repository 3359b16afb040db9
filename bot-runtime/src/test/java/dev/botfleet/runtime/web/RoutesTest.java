package dev.botfleet.runtime.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.botfleet.api.LLMBot;
import dev.botfleet.handler.BotHandler;
import dev.botfleet.handler.poe.PoeEvent;
import dev.botfleet.handler.poe.PoeEventCodec;
import dev.botfleet.runtime.BotMetrics;
import dev.botfleet.runtime.config.Fleet;
import dev.botfleet.runtime.config.LiveFleets;
import dev.botfleet.runtime.poe.PoeFrames;
import dev.botfleet.runtime.poe.PoeLimits;
import dev.botfleet.runtime.poe.PoeRequests;
import dev.botfleet.runtime.poe.PoeStream;
import dev.botfleet.runtime.secrets.SecretRedactor;
import dev.botfleet.runtime.secrets.SecretResolver;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.server.RouterFunctions;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** The order of the front door's filters, each refusing for its own reason before the next runs. */
class RoutesTest {

    private static final String KEY = "poe-access-key-0123456789";
    private static final String QUERY = """
            {"version": "1.0", "type": "query", "query": [{"role": "user", "content": "hi"}],
             "user_id": "u", "conversation_id": "c", "message_id": "m"}""";

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Drain drain = new Drain(Duration.ofMillis(100), Schedulers.parallel(), registry);
    private final BodyBudget budget = new BodyBudget(1_000, registry);
    private final List<String> answered = new CopyOnWriteArrayList<>();
    private final BotHandler handler = (context, query) -> {
        answered.add(context.botName());
        return Flux.just(new PoeEvent.Text("hello"));
    };

    private DisposableServer server;

    /** The routes on a real Reactor Netty server: the answer watches the caller's connection beneath WebFlux. */
    private WebTestClient client(boolean listBots) {
        LLMBot bot = Serialization.unmarshal("""
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {name: guarded}
                spec: {handler: echo, description: a bot, accessKeySecretRef: {name: poe, key: access-key}}
                """, LLMBot.class);
        ObjectMapper json = new ObjectMapper();
        SecretRedactor redactor = new SecretRedactor();
        Routes.Parts parts = new Routes.Parts(LiveFleets.serving(new Fleet(Map.of("guarded", bot), Map.of(), Map.of())),
                new AccessKeyCheck(new SecretResolver(null, Map.of("POE_ACCESS_KEY", KEY)::get, redactor)),
                new PoeRequests(json), 600, budget, drain,
                new PoeStream(redactor, new PoeFrames(new PoeEventCodec(json), PoeLimits.POE, Duration.ofSeconds(3))),
                handler, new BotMetrics(registry), json);
        server = HttpServer.create().host("127.0.0.1").port(0)
                .handle(new ReactorHttpHandlerAdapter(RouterFunctions.toHttpHandler(Routes.of(parts, listBots))))
                .bindNow();
        return WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + server.port()).build();
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.disposeNow();
        }
    }

    private WebTestClient.ResponseSpec post(WebTestClient client, String bot, String key, String body) {
        WebTestClient.RequestBodySpec request = client.post().uri("/bots/" + bot).contentType(MediaType.APPLICATION_JSON);
        if (key != null) {
            request.header(HttpHeaders.AUTHORIZATION, "Bearer " + key);
        }
        return request.bodyValue(body).exchange();
    }

    @Test
    void eachFilterRefusesBeforeTheNextRunsAndOnlyAnAcceptedRequestReachesTheDispatch() {
        WebTestClient client = client(true);
        post(client, "absent", KEY, QUERY).expectStatus().isNotFound()
                .expectBody().jsonPath("$.detail").isEqualTo("Unknown bot 'absent'");
        post(client, "guarded", "wrong", "not even JSON").expectStatus().isUnauthorized()
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .expectBody().jsonPath("$.detail").isEqualTo("Invalid access key");
        post(client, "guarded", KEY, "x".repeat(601)).expectStatus().isEqualTo(413);
        post(client, "guarded", KEY, "{\"type\": 3}").expectStatus().isBadRequest();
        assertThat(answered).as("no refused request reached the handler").isEmpty();
        assertThat(registry.get("botfleet.request.body.bytes").gauge().value()).as("every body given back")
                .isZero();

        String answer = post(client, "guarded", KEY, QUERY).expectStatus().isOk()
                .expectHeader().contentType("text/event-stream;charset=utf-8")
                .expectHeader().doesNotExist(HttpHeaders.CONNECTION)
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(answer).contains("event: text", "hello", "event: done");
        assertThat(answered).containsExactly("guarded");
    }

    @Test
    void whileDrainingANewQueryGetsARetryableErrorOnAClosingConnectionAndOtherRequestsAreAnswered() {
        WebTestClient client = client(false);
        drain.stop();

        String refused = post(client, "guarded", KEY, QUERY).expectStatus().isOk()
                .expectHeader().valueEquals(HttpHeaders.CONNECTION, "close")
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(refused).contains("event: error", "\"allow_retry\":true", "event: done");
        assertThat(answered).as("the handler is not asked").isEmpty();

        post(client, "guarded", KEY, "{\"version\": \"1.0\", \"type\": \"settings\"}").expectStatus().isOk()
                .expectBody().jsonPath("$.server_bot_dependencies").exists();
        client.get().uri("/bots").exchange().expectStatus().isNotFound();
    }

    @Test
    void theProbeNeedsNoKeyTheListNamesBotsAndOtherMethodsAreRefused() {
        WebTestClient client = client(true);
        client.get().uri("/bots/guarded").exchange().expectStatus().isOk()
                .expectBody(String.class).value(page -> assertThat(page).contains("'guarded' is served here"));
        client.get().uri("/bots/absent").exchange().expectStatus().isNotFound();
        client.get().uri("/bots").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$[0].name").isEqualTo("guarded").jsonPath("$[0].description")
                .isEqualTo("a bot");
        client.delete().uri("/bots/guarded").exchange().expectStatus().isEqualTo(405)
                .expectHeader().valueEquals(HttpHeaders.ALLOW, "GET, POST");
    }
}
