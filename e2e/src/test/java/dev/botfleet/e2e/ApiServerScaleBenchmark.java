package dev.botfleet.e2e;

import dev.botfleet.api.LLMBot;
import dev.botfleet.api.LLMBotSpec;
import dev.botfleet.api.ProviderRef;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * The operator's scale on the real API server, the same steps as operator/'s benchmark against the mock: bots
 * applied by 8 concurrent clients over 10 runtime groups; the time until every group's ConfigMap holds all its
 * bots and until every bot is Ready; the operator's writes (by the audit log); its heap; the API server's CPU;
 * writes on a restart with nothing changed; the latency of one spec change. Prints figures; asserts nothing
 * about time. {@code ./mvnw -B -Pbench -pl e2e verify [-Dbench.bots=10000]}.
 */
class ApiServerScaleBenchmark {

    private static final int GROUPS = 10;
    private static final int APPLIERS = 8;
    private static final String NAMESPACE = "scale";
    /** The heap the chart gives the operator: half of its default memory limit (512Mi). */
    private static final List<String> OPERATOR_JVM = List.of("-Xmx256m");

    private final ControlPlane cluster = ControlPlane.get();
    private final KubernetesClient client = cluster.admin();

    @Test
    void printFigures() throws Exception {
        int bots = Integer.getInteger("bench.bots", 1000);
        Crds.install(cluster);
        Release release = Release.install(cluster, "botfleet", "botfleet-system");
        cluster.kubectl("create", "namespace", NAMESPACE).run().orFail();
        cluster.kubectl("apply", "-n", NAMESPACE, "-f", "-").withInput("""
                apiVersion: v1
                kind: Secret
                metadata: {name: openai}
                stringData: {api-key: sk-scale}
                ---
                apiVersion: botfleet.dev/v1alpha1
                kind: LLMProvider
                metadata: {name: openai}
                spec: {baseUrl: 'https://api.openai.com/v1', defaultModel: gpt-4o-mini,
                       apiKeySecretRef: {name: openai, key: api-key}}
                """).run().orFail();
        AuditLog audit = new AuditLog(cluster.auditLog());
        long apiServer = pidOf("kube-apiserver");

        OperatorProcess operator = release.startOperator("scale", Map.of(), OPERATOR_JVM);
        Instant start = Instant.now();
        double apiCpuBefore = cpuSeconds(apiServer);
        long begin = System.nanoTime();
        ExecutorService appliers = Executors.newFixedThreadPool(APPLIERS);
        for (int i = 0; i < bots; i++) {
            int bot = i;
            appliers.execute(() -> client.resource(bot("bot-" + bot, "group-" + (bot % GROUPS))).create());
        }
        appliers.shutdown();
        appliers.awaitTermination(30, TimeUnit.MINUTES);
        long created = millisSince(begin);
        await().atMost(Duration.ofMinutes(30)).pollInterval(Duration.ofMillis(500)).until(() -> served() == bots);
        long converged = millisSince(begin);
        double apiCpu = cpuSeconds(apiServer) - apiCpuBefore;
        await().atMost(Duration.ofMinutes(30)).pollInterval(Duration.ofSeconds(2)).until(() -> ready() == bots);
        long allReady = millisSince(begin);
        await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofSeconds(1))
                .until(() -> audit.writesBy(operator.credentialId(), Instant.now().minusSeconds(5)).isEmpty());
        List<AuditLog.Request> writes = audit.writesBy(operator.credentialId(), start);
        long statusWrites = writes.stream().filter(w -> w.resource().endsWith("/status")).count();
        long groupWrites = writes.stream().filter(w -> List.of("configmaps", "deployments", "services")
                .contains(w.resource())).count();
        long heap = heapAfterGcMiB(operator);
        double rss = rssMiB(operator);
        operator.close();

        OperatorProcess restarted = release.startOperator("scale-restarted", Map.of(), OPERATOR_JVM);
        Instant restart = Instant.now();
        await().atMost(Duration.ofMinutes(5)).until(() -> restarted.health("/readyz") == 200);
        Thread.sleep(15_000);
        List<AuditLog.Request> resync = audit.writesBy(restarted.credentialId(), restart);
        int resyncWrites = resync.size();
        resync.stream().limit(20).forEach(write -> System.out.println("write after the restart: " + write));

        List<Long> changes = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String marker = "change-" + i;
            String group = "group-" + (i % GROUPS);
            long changeStart = System.nanoTime();
            client.resources(LLMBot.class).inNamespace(NAMESPACE).withName("bot-" + i)
                    .edit(bot -> {
                        bot.getSpec().setSystemPrompt(marker);
                        return bot;
                    });
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5))
                    .until(() -> configMap(group).getData().get("bots.yaml").contains(marker));
            changes.add(millisSince(changeStart));
            Thread.sleep(1000);
        }
        restarted.close();
        List<Long> sorted = changes.stream().sorted().toList();

        String table = String.format("""

                ## operator (%d bots over %d groups, real API server: kube-apiserver %s + etcd, %d cores)

                | figure | value |
                | --- | --- |
                | time to create the bots (%d concurrent clients) | %d ms |
                | time until every group's ConfigMap holds all its bots | %d ms |
                | time until every bot is Ready (Deployments Available under kwok) | %d ms |
                | operator API writes | %d (%.2f per bot): %d status, %d group objects, %d other |
                | operator heap after GC / RSS (-Xmx256m; the chart's limit is 512 MiB) | %d MiB / %.0f MiB |
                | kube-apiserver CPU from the first create to convergence | %.1f s |
                | writes in 15 s after a restart with nothing changed | %d |
                | one spec change to ConfigMap updated, p50 / p99 (20 changes) | %d / %d ms |
                """, bots, GROUPS, System.getProperty("botfleet.k8s.version", "1.34.2"),
                Runtime.getRuntime().availableProcessors(), APPLIERS, created, converged, allReady, writes.size(),
                writes.size() / (double) bots, statusWrites, groupWrites, writes.size() - statusWrites - groupWrites,
                heap, rss, apiCpu, resyncWrites, sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1));
        System.out.println(table);
        Files.writeString(ControlPlane.WORK.resolve("scale-" + bots + ".md"), table);
    }

    private static LLMBot bot(String name, String group) {
        LLMBot bot = new LLMBot();
        bot.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NAMESPACE).build());
        LLMBotSpec spec = new LLMBotSpec();
        spec.setProviderRef(new ProviderRef("openai"));
        spec.setRuntime(group);
        bot.setSpec(spec);
        return bot;
    }

    private ConfigMap configMap(String group) {
        return client.configMaps().inNamespace(NAMESPACE).withName("botfleet-" + group).get();
    }

    private int served() {
        int served = 0;
        for (int g = 0; g < GROUPS; g++) {
            ConfigMap config = configMap("group-" + g);
            if (config != null) {
                served += (int) config.getData().get("bots.yaml").lines().filter(l -> l.equals("kind: LLMBot")).count();
            }
        }
        return served;
    }

    private int ready() {
        return (int) client.resources(LLMBot.class).inNamespace(NAMESPACE).list().getItems().stream()
                .filter(bot -> bot.getStatus() != null && bot.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())))
                .count();
    }

    private long pidOf(String component) throws IOException {
        return Files.readAllLines(cluster.runDirectory().resolve("pids")).stream()
                .filter(line -> line.endsWith(" " + component)).mapToLong(line -> Long.parseLong(line.split(" ")[0]))
                .findFirst().orElseThrow();
    }

    /** User and system CPU of a process so far, from /proc (clock ticks of 1/100 s). */
    private static double cpuSeconds(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
    }

    private static double rssMiB(OperatorProcess operator) throws IOException {
        String line = Files.readAllLines(Path.of("/proc/" + operator.pid() + "/status")).stream()
                .filter(l -> l.startsWith("VmRSS:")).findFirst().orElseThrow();
        return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
    }

    private static long heapAfterGcMiB(OperatorProcess operator) {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        Command.of(List.of(jcmd, Long.toString(operator.pid()), "GC.run")).run().orFail();
        String info = Command.of(List.of(jcmd, Long.toString(operator.pid()), "GC.heap_info")).run().orFail().out();
        String used = info.lines().filter(line -> line.contains("used")).findFirst().orElseThrow()
                .replaceAll(".*used (\\d+)K.*", "$1");
        return Long.parseLong(used) >> 10;
    }

    private static long millisSince(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos).toMillis();
    }
}
