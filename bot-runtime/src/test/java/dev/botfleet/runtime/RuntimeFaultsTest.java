package dev.botfleet.runtime;

import dev.botfleet.runtime.fake.RawUpstreams;
import dev.botfleet.runtime.poe.AnswerLimit;
import dev.botfleet.runtime.poe.UserError;
import dev.botfleet.testing.FakeOpenAiServer.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The runtime fault table: for each upstream fault, the Poe events the caller sees, what the owner's log says and
 * the metric that counts it. Bot "once" has no retries and a 500 ms timeout, so each row costs one upstream request.
 */
@ExtendWith(OutputCaptureExtension.class)
class RuntimeFaultsTest extends RuntimeTestBase {

    private static RawUpstreams.ResettingServer resetting;
    private static RawUpstreams.UntrustedTlsServer untrusted;

    @BeforeAll
    static void startRawUpstreams() throws Exception {
        resetting = new RawUpstreams.ResettingServer();
        untrusted = new RawUpstreams.UntrustedTlsServer(WORK);
    }

    /** Adds providers for the raw upstreams; after the Spring context, which writes the base fleet, is up. */
    @BeforeEach
    void serveRawUpstreamBots() {
        if (poe.get("/bots/reset-bot").statusCode() == 200) {
            return;
        }
        write(MANIFESTS, fleet(UPSTREAM.baseUrl()) + """
                ---
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMProvider
                metadata: {name: resetting}
                spec: {baseUrl: '%s', defaultModel: m, timeout: 2s, maxRetries: 0}
                ---
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMProvider
                metadata: {name: untrusted}
                spec: {baseUrl: '%s', defaultModel: m, timeout: 2s, maxRetries: 0}
                ---
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {name: reset-bot}
                spec: {providerRef: {name: resetting}}
                ---
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMBot
                metadata: {name: tls-bot}
                spec: {providerRef: {name: untrusted}}
                """.formatted(resetting.baseUrl(), untrusted.baseUrl()));
        await().atMost(Duration.ofSeconds(5)).until(() -> poe.get("/bots/reset-bot").statusCode() == 200);
    }

    @AfterAll
    static void stopRawUpstreams() throws Exception {
        write(MANIFESTS, fleet(UPSTREAM.baseUrl()));
        resetting.close();
        untrusted.close();
    }

    private List<SseEvents.Event> ask(String bot) {
        return poe.ask(bot, "hi");
    }

    private SseEvents.Event error(List<SseEvents.Event> events) {
        assertThat(SseEvents.names(events)).as(events.toString()).doesNotContain("meta").endsWith("error", "done");
        return events.get(events.size() - 2);
    }

    @ParameterizedTest(name = "HTTP {0} -> {1}")
    @CsvSource({"400,PROVIDER_REFUSED", "401,BOT_UNAVAILABLE", "403,BOT_UNAVAILABLE", "404,BOT_UNAVAILABLE",
            "408,PROVIDER_UNAVAILABLE", "409,PROVIDER_UNAVAILABLE", "422,PROVIDER_REFUSED", "429,PROVIDER_BUSY",
            "500,PROVIDER_UNAVAILABLE", "502,PROVIDER_UNAVAILABLE", "503,PROVIDER_UNAVAILABLE",
            "504,PROVIDER_UNAVAILABLE"})
    void eachUpstreamStatusBecomesAnErrorEventAndIsCounted(int status, UserError told, CapturedOutput output) {
        double before = upstreamErrors("fake-once", "http_" + status);
        UPSTREAM.enqueue(Reply.status(status));

        assertTold(error(ask("once")), told);
        assertThat(ownerLog(output, "once")).contains("HTTP " + status).doesNotContain(UPSTREAM_KEY);
        assertThat(upstreamErrors("fake-once", "http_" + status)).isEqualTo(before + 1);
        assertThat(UPSTREAM.requests()).hasSize(1);
    }

    @Test
    void tooManyRequestsWithRetryAfterBeyondTheTimeoutIsNotWaitedFor() {
        UPSTREAM.enqueue(Reply.status(429, Map.of("Retry-After", "30")), Reply.chunks("never asked"));
        long start = System.nanoTime();
        SseEvents.Event error = error(poe.ask("open", "hi"));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(error.data().path("allow_retry").asBoolean()).isTrue();
        assertThat(UPSTREAM.requests()).as("a 30 s Retry-After exceeds the 1 s timeout: no retry").hasSize(1);
    }

    @Test
    void noBytesUntilTheTimeoutIsATimeout(CapturedOutput output) {
        double before = upstreamErrors("fake-once", "timeout");
        UPSTREAM.enqueue(Reply.silentFor(Duration.ofSeconds(3), "late"));
        long start = System.nanoTime();
        SseEvents.Event error = error(ask("once"));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2500));
        assertTold(error, UserError.PROVIDER_UNAVAILABLE);
        assertThat(ownerLog(output, "once")).contains("timeout");
        assertThat(upstreamErrors("fake-once", "timeout")).isEqualTo(before + 1);
    }

    @Test
    void headersThenSilenceIsATimeout(CapturedOutput output) {
        UPSTREAM.enqueue(Reply.headersThenSilence(Duration.ofSeconds(3)));
        assertTold(error(ask("once")), UserError.PROVIDER_UNAVAILABLE);
        assertThat(ownerLog(output, "once")).contains("timeout");
    }

    @Test
    void keepAliveCommentsAreNotSilence() {
        // fake-once allows 500 ms of silence: three times that in comments, one every 100 ms
        UPSTREAM.enqueue(Reply.keepAliveCommentsFor(Duration.ofMillis(1500), Duration.ofMillis(100), "thought ", "long"));
        List<SseEvents.Event> events = ask("once");
        assertThat(SseEvents.answer(events)).as(events.toString()).isEqualTo("thought long");
    }

    @Test
    void connectionResetMidStreamEndsTheAnswerWithAnError() {
        List<SseEvents.Event> events = ask("reset-bot");
        assertThat(SseEvents.answer(events)).isEqualTo("before reset");
        assertTold(error(events), UserError.ANSWER_CUT_SHORT);
    }

    @Test
    void anUntrustedCertificateIsAFinalTlsFailure(CapturedOutput output) {
        double before = upstreamErrors("untrusted", "tls");
        assertTold(error(ask("tls-bot")), UserError.BOT_UNAVAILABLE);
        assertThat(ownerLog(output, "tls-bot")).contains("TLS handshake with the provider failed")
                .contains("certification path");
        assertThat(upstreamErrors("untrusted", "tls")).isEqualTo(before + 1);
    }

    @Test
    void aChunkWithoutChoicesIsSkipped() {
        UPSTREAM.enqueue(Reply.chunkWithoutChoicesFirst("fine"));
        List<SseEvents.Event> events = ask("once");
        assertThat(SseEvents.names(events)).doesNotContain("error");
        assertThat(SseEvents.answer(events)).isEqualTo("fine");
    }

    @Test
    void aTenMebibyteChunkIsCutAtPoesCharacterLimitWithANotice() {
        double before = answered("open", AnswerOutcome.LENGTH_LIMIT);
        String big = "x".repeat(10 * 1024 * 1024);
        UPSTREAM.enqueue(Reply.chunks(big));
        List<SseEvents.Event> events = poe.ask("open", "big");
        assertThat(SseEvents.names(events)).doesNotContain("error").endsWith("done");
        String answer = SseEvents.answer(events);
        assertThat(answer.length()).isLessThanOrEqualTo(100_000).isGreaterThan(99_000);
        assertThat(answer).startsWith("xxx").endsWith("\n\n" + AnswerLimit.LENGTH.notice("en"));
        await().atMost(Duration.ofSeconds(2)).until(() -> answered("open", AnswerOutcome.LENGTH_LIMIT) == before + 1);
    }

    @Test
    void aSlowReaderHoldsNobodyElseUp() throws Exception {
        String[] chunks = new String[200];
        java.util.Arrays.fill(chunks, "chunk ");
        UPSTREAM.enqueue(Reply.stream(Duration.ofMillis(10), chunks));
        CompletableFuture<Integer> slow = CompletableFuture.supplyAsync(() -> {
            try (InputStream body = poe.open("open", PoeClient.query("slow"))) {
                int read = 0;
                for (int i = 0; i < 20; i++) {
                    if (body.read() < 0) {
                        break;
                    }
                    read++;
                    TimeUnit.MILLISECONDS.sleep(100);
                }
                return read;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> UPSTREAM.openStreams() == 1);

        long start = System.nanoTime();
        assertThat(SseEvents.answer(poe.ask("open", "meanwhile"))).isEqualTo("meanwhile");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
        assertThat(slow.get(10, TimeUnit.SECONDS)).isEqualTo(20);
        await().atMost(Duration.ofSeconds(10)).until(() -> UPSTREAM.openStreams() == 0);
    }

    @Test
    void aThousandFaultedRequestsLeakNoThreadsConnectionsOrHeap() {
        List<java.util.function.Supplier<Reply>> faults = List.of(
                () -> Reply.status(503), () -> Reply.malformedAfter("x"), () -> Reply.truncatedAfter("y"),
                () -> Reply.status(400), () -> Reply.chunks("ok"));
        for (int i = 0; i < 50; i++) {
            UPSTREAM.enqueue(faults.get(i % faults.size()).get());
            poe.ask("once", "warm-up");
        }
        int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
        long heapBefore = usedHeapAfterGc();

        java.util.concurrent.ExecutorService callers = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<CompletableFuture<List<SseEvents.Event>>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                UPSTREAM.enqueue(faults.get(i % faults.size()).get());
                String text = "request " + i;
                answers.add(CompletableFuture.supplyAsync(() -> poe.ask("once", text), callers));
            }
            for (CompletableFuture<List<SseEvents.Event>> answer : answers) {
                assertThat(SseEvents.names(answer.join())).endsWith("done");
            }
        } finally {
            callers.shutdown();
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> UPSTREAM.openStreams() == 0);
        int threadsAfter = ManagementFactory.getThreadMXBean().getThreadCount();
        long heapAfter = usedHeapAfterGc();
        System.out.printf("1000 faulted requests: threads %d -> %d, heap after GC %d MiB -> %d MiB%n",
                threadsBefore, threadsAfter, heapBefore >> 20, heapAfter >> 20);
        assertThat(threadsAfter).isLessThanOrEqualTo(threadsBefore + 10);
        assertThat(heapAfter - heapBefore).isLessThan(64L << 20);
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
