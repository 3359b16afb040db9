package dev.botfleet.operator;

import dev.botfleet.api.LLMBot;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * The operator's scale against the mock API server: bots applied at once over 10 runtime groups, the time until
 * every group's ConfigMap holds all its bots, API writes per bot, heap, writes during a resync with nothing
 * changed, and the latency of one spec change. Prints figures; asserts nothing about time.
 * Run with {@code ./mvnw -B -Pbench -pl operator -am verify} ({@code -Dbench.bots=10000} for the large run).
 */
class OperatorScaleBenchmark extends OperatorTestBase {

    private static final int GROUPS = 10;
    /** Bots are created by this many concurrent clients, as a GitOps tool applying a directory would. */
    private static final int APPLIERS = 8;

    @Test
    void printFigures() throws Exception {
        int bots = Integer.getInteger("bench.bots", 1000);
        secret("openai", Map.of("api-key", OPENAI_KEY));
        provider("openai", "openai");
        writesUntilQuiet();

        long start = System.nanoTime();
        ExecutorService appliers = Executors.newFixedThreadPool(APPLIERS);
        for (int i = 0; i < bots; i++) {
            int bot = i;
            appliers.execute(() -> bot("bot-" + bot, "openai", "group-" + (bot % GROUPS), ""));
        }
        appliers.shutdown();
        appliers.awaitTermination(10, TimeUnit.MINUTES);
        long created = Duration.ofNanos(System.nanoTime() - start).toMillis();
        await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(200)).until(() -> allServed(bots));
        long converged = Duration.ofNanos(System.nanoTime() - start).toMillis();
        List<String> writes = writesUntilQuiet();
        long operatorWrites = writes.stream().filter(w -> !w.startsWith("POST /apis/botfleet.dev")).count();
        System.gc();
        long heap = (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20;

        restartOperator();
        List<String> resync = writesUntilQuiet();

        List<Long> changes = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            LLMBot bot = getBot("bot-" + i);
            String marker = "change-" + i;
            bot.getSpec().setSystemPrompt(marker);
            long changeStart = System.nanoTime();
            client.resource(bot).update();
            String group = "group-" + (i % GROUPS);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5)).until(() ->
                    configMap(group).getData().get("bots.yaml").contains(marker));
            changes.add(Duration.ofNanos(System.nanoTime() - changeStart).toMillis());
            // Isolated changes: one within the group write interval of the last would wait for it.
            Thread.sleep(settings.groupWriteInterval().toMillis());
        }
        List<Long> sorted = changes.stream().sorted().toList();

        System.out.printf("%n## operator (%d bots over %d groups, mock API server, %d cores)%n%n", bots, GROUPS,
                Runtime.getRuntime().availableProcessors());
        System.out.println("| figure | value |");
        System.out.println("| --- | --- |");
        System.out.printf("| time to create the bots (%d concurrent clients) | %d ms |%n", APPLIERS, created);
        System.out.printf("| time until every group's ConfigMap holds all its bots | %d ms |%n", converged);
        System.out.printf("| operator API writes | %d (%.2f per bot) |%n", operatorWrites, operatorWrites / (double) bots);
        System.out.printf("| test JVM heap after GC (operator, mock server and client) | %d MiB |%n", heap);
        System.out.printf("| writes during a resync (restart) with nothing changed | %d |%n", resync.size());
        System.out.printf("| one spec change to ConfigMap updated, p50 / p99 (20 changes) | %d / %d ms |%n",
                sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1));
    }

    private boolean allServed(int bots) {
        int served = 0;
        for (int g = 0; g < GROUPS; g++) {
            var configMap = configMap("group-" + g);
            if (configMap == null) {
                return false;
            }
            served += (int) configMap.getData().get("bots.yaml").lines().filter(l -> l.equals("kind: LLMBot")).count();
        }
        return served == bots;
    }
}
