package dev.botfleet.e2e;

import dev.botfleet.testing.FakeOpenAiServer;
import dev.botfleet.testing.FakeOpenAiServer.Reply;
import dev.botfleet.testing.RedisServer;
import dev.botfleet.testing.RuntimeProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two runtime processes of one group sharing a real Redis server: the budgets and per-user limits hold across both
 * under concurrent load, a restarted runtime keeps the day's count, and while Redis is gone each follows its policy
 * (the first fails open, the second closed).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SharedLimitsIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    /** What each answer of the fake provider uses: 11 prompt tokens and one per word of "one two three". */
    private static final int TOKENS_PER_ANSWER = 14;
    private static final int TOKENS_PER_DAY = 140;

    private static RedisServer redis;
    private static FakeOpenAiServer upstream;
    private static Path manifests;
    private static RuntimeProcess failingOpen;
    private static RuntimeProcess failingClosed;

    @BeforeAll
    static void start() throws Exception {
        redis = RedisServer.start("shared-limits-password");
        upstream = new FakeOpenAiServer();
        manifests = Files.createTempFile(Files.createDirectories(ControlPlane.WORK), "shared-limits", ".yaml");
        Files.writeString(manifests, """
                apiVersion: v1
                kind: Secret
                metadata: {name: keys}
                stringData: {api-key: sk-shared-limits}
                ---
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMProvider
                metadata: {name: fake}
                spec: {baseUrl: '%s', defaultModel: fake-model, maxRetries: 0, timeout: 10s,
                       apiKeySecretRef: {name: keys, key: api-key}}
                ---
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {name: budgeted}
                spec: {providerRef: {name: fake}, model: budget-model, maxTokens: 20,
                       budgets: {tokensPerDay: %d}}
                ---
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {name: rated}
                spec: {providerRef: {name: fake}, model: rate-model, limits: {requestsPerMinutePerUser: 4}}
                ---
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {name: one-at-a-time}
                spec: {providerRef: {name: fake}, model: single-model, limits: {concurrentAnswersPerUser: 1}}
                """.formatted(upstream.baseUrl(), TOKENS_PER_DAY));
        failingOpen = runtime("open");
        failingClosed = runtime("closed");
    }

    private static RuntimeProcess runtime(String onFailure) throws Exception {
        return RuntimeProcess.start(manifests, List.of("-Xmx256m"),
                List.of("-jar", ControlPlane.REPO.resolve("bot-runtime/target/bot-runtime.jar").toString(),
                        "--botfleet.redis.url=" + redis.url(), "--botfleet.redis.on-failure=" + onFailure),
                Map.of("BOTFLEET_REDIS_PASSWORD", redis.password()));
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable closeable : new AutoCloseable[]{failingOpen, failingClosed, upstream, redis}) {
            if (closeable != null) {
                closeable.close();
            }
        }
    }

    @BeforeEach
    void resetUpstream() {
        upstream.reset();
    }

    @Test
    @Order(1)
    void aDailyBudgetHoldsForBothReplicasUnderConcurrentLoadAndARestartKeepsTheCount() throws Exception {
        List<CompletableFuture<String>> answers = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            answers.add(ask(i % 2 == 0 ? failingOpen : failingClosed, "budgeted", "user-" + i));
        }
        long admittedAtOnce = answers.stream().map(CompletableFuture::join).filter(body -> !refused(body)).count();
        assertThat(upstream.requests()).as("answered by the provider").hasSize((int) admittedAtOnce);
        // Each answer counts the most it may use while it streams, so the burst stops short of the budget; once
        // they are corrected to what they used, answers one at a time take the rest.
        String last = "";
        for (int i = 0; i < 40 && !refused(last); i++) {
            last = ask(i % 2 == 0 ? failingOpen : failingClosed, "budgeted", "later-" + i).join();
        }
        assertThat(last).contains("This bot has used its budget for today");

        int used = upstream.requests().size() * TOKENS_PER_ANSWER;
        System.out.printf("shared daily budget of %d tokens on two replicas: %d of 40 concurrent answers admitted, "
                        + "%d answers in all, %d tokens used, overshoot %d tokens%n", TOKENS_PER_DAY, admittedAtOnce,
                upstream.requests().size(), used, Math.max(0, used - TOKENS_PER_DAY));
        assertThat(used).as("spent, and at most one answer in flight per replica past it")
                .isBetween(TOKENS_PER_DAY, TOKENS_PER_DAY + 2 * TOKENS_PER_ANSWER);

        int answered = upstream.requests().size();
        failingOpen.close();
        failingOpen = runtime("open");
        assertThat(ask(failingOpen, "budgeted", "someone-new").join())
                .contains("This bot has used its budget for today");
        assertThat(upstream.requests()).as("the restarted replica kept the day's count").hasSize(answered);
    }

    @Test
    @Order(2)
    void aUsersQueriesPerMinuteAreCountedOnceForBothReplicas() {
        List<CompletableFuture<String>> answers = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            answers.add(ask(i % 2 == 0 ? failingOpen : failingClosed, "rated", "alice"));
        }
        List<String> bodies = answers.stream().map(CompletableFuture::join).toList();

        assertThat(bodies.stream().filter(SharedLimitsIT::refused))
                .hasSize(8).allSatisfy(body -> assertThat(body).contains("at most 4 a minute"));
        assertThat(upstream.requests()).hasSize(4);
        assertThat(refused(ask(failingClosed, "rated", "bob").join())).as("another user's own rate").isFalse();
    }

    @Test
    @Order(3)
    void aUsersAnswersAtOnceAreCountedOnceForBothReplicas() {
        upstream.enqueue(Reply.stream(Duration.ofMillis(700), "one ", "two ", "three"));
        List<CompletableFuture<String>> answers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            answers.add(ask(i % 2 == 0 ? failingOpen : failingClosed, "one-at-a-time", "carol"));
        }
        List<String> bodies = answers.stream().map(CompletableFuture::join).toList();

        assertThat(bodies.stream().filter(SharedLimitsIT::refused)).hasSize(5);
        assertThat(upstream.requests()).hasSize(1);
        assertThat(refused(ask(failingClosed, "one-at-a-time", "carol").join())).as("once the answer ended")
                .isFalse();
    }

    @Test
    @Order(4)
    void whileRedisIsGoneOneReplicaAdmitsUncountedAndTheOtherRefusesAndBothCountAgainWhenItIsBack()
            throws Exception {
        redis.stop();
        long start = System.nanoTime();
        String open = ask(failingOpen, "one-at-a-time", "dave").join();
        String closed = ask(failingClosed, "one-at-a-time", "erin").join();
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(refused(open)).as(open).isFalse();
        assertThat(closed).contains("event: error").contains("can’t check its usage limits");
        assertThat(took).as("both answered well within Poe's 5 s").isLessThan(Duration.ofSeconds(3));
        assertThat(metrics(failingClosed)).containsPattern(
                "botfleet_shared_counts_errors_total\\{[^}]*operation=\"admit\"[^}]*} [1-9]");

        redis.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> !refused(ask(failingClosed, "one-at-a-time", "erin")
                .join()));
    }

    private static boolean refused(String body) {
        return body.contains("event: error");
    }

    private static String metrics(RuntimeProcess runtime) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(runtime.managementUrl("/actuator/prometheus"))).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static CompletableFuture<String> ask(RuntimeProcess runtime, String bot, String user) {
        return HTTP.sendAsync(HttpRequest.newBuilder(URI.create(runtime.botUrl(bot)))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("""
                                {"version": "1.2", "type": "query", "user_id": "%s", "conversation_id": "c",
                                 "message_id": "m", "query": [{"role": "user", "content": "one two three"}]}"""
                                .formatted(user)))
                        .build(), HttpResponse.BodyHandlers.ofString())
                .thenApply(HttpResponse::body);
    }
}
