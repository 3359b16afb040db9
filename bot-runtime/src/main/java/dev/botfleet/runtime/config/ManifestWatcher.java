package dev.botfleet.runtime.config;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Loads the manifests at start and reloads them when they change. A file event from the manifests' directory
 * (the {@code ..data} symlink swap Kubernetes uses to update a mounted ConfigMap, an editor saving a file) makes
 * the runtime look at once; polling the content as well sees every change a file system does not report, and a
 * half-written file is simply refused until it is complete. A valid change replaces the whole
 * configuration at once; an invalid one leaves the previous configuration serving. The loader is built on the
 * watcher's thread: its CRD validator (schemas and CEL programs) is the runtime's largest start-up cost, and the
 * rest of the runtime can start meanwhile.
 */
public final class ManifestWatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ManifestWatcher.class);
    /** How long a plain file must read the same before it is served, and how long file events settle. */
    private static final Duration SETTLE = Duration.ofMillis(100);

    private final Path path;
    private final Supplier<ManifestLoader> loaderFactory;
    private ManifestLoader loader;
    private final LiveFleet live;
    private final Counter reloads;
    private final Counter failures;
    private final MultiGauge servedGenerations;
    private final ScheduledExecutorService poller;
    private final AtomicBoolean lookPending = new AtomicBoolean();
    private WatchService fileEvents;
    private ManifestSnapshot lastSeen;
    private Future<?> firstLoad = CompletableFuture.completedFuture(null);
    private volatile Consumer<Fleet> eachLook = fleet -> { };

    public ManifestWatcher(Path path, Supplier<ManifestLoader> loaderFactory, LiveFleet live, MeterRegistry registry) {
        this.path = path;
        this.loaderFactory = loaderFactory;
        this.live = live;
        this.reloads = Counter.builder("botfleet.config.reloads")
                .description("Configurations loaded from the manifests").register(registry);
        this.failures = Counter.builder("botfleet.config.reload.failures")
                .description("Changes to the manifests that were refused").register(registry);
        this.servedGenerations = MultiGauge.builder("botfleet.bot.generation")
                .description("metadata.generation of each bot's spec being served, when the operator wrote it")
                .register(registry);
        Gauge.builder("botfleet.config.valid", live, l -> l.isLoaded() && l.lastError().isEmpty() ? 1 : 0)
                .description("1 when the newest manifests are the ones being served").register(registry);
        this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "manifest-watcher");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Starts loading on the watcher's thread, then looks for changes whenever the file system reports one in the
     * manifests' directory, and every {@code interval} in any case.
     */
    public void start(Duration interval) {
        firstLoad = poller.submit(this::poll);
        poller.scheduleWithFixedDelay(this::poll, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        watchFileEvents(interval);
    }

    private void watchFileEvents(Duration interval) {
        Path dir = Files.isDirectory(path) ? path : path.toAbsolutePath().getParent();
        try {
            fileEvents = dir.getFileSystem().newWatchService();
            dir.register(fileEvents, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                    StandardWatchEventKinds.ENTRY_DELETE);
        } catch (IOException | UnsupportedOperationException e) {
            log.info("no file events from {} ({}); looking for changes every {}", dir, e.getMessage(), interval);
            return;
        }
        Thread relay = new Thread(this::relayFileEvents, "manifest-file-events");
        relay.setDaemon(true);
        relay.start();
    }

    /** Turns each burst of file events into one look: one ConfigMap update or one editor save is several. */
    /** Looks at the manifests {@link #SETTLE} from now, unless a look is already planned. */
    private void lookSoon() {
        if (lookPending.compareAndSet(false, true)) {
            poller.schedule(() -> {
                lookPending.set(false);
                poll();
            }, SETTLE.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void relayFileEvents() {
        try {
            while (true) {
                WatchKey key = fileEvents.take();
                key.pollEvents();
                lookSoon();
                if (!key.reset()) {
                    return;
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException stopped) {
            // closed with the watcher
        }
    }

    /** Returns once the first load has been tried, whether the manifests were served or refused. */
    public void awaitFirstLoad() throws InterruptedException, ExecutionException {
        firstLoad.get();
    }

    /**
     * Runs {@code task} with the fleet being served after every look at the manifests, changed or not, on the
     * watcher's thread: what must follow files outside the manifests (mounted Secrets) without a request waiting.
     */
    public void alsoOnEachLook(Consumer<Fleet> task) {
        eachLook = task;
    }

    /** Reloads if the manifests changed since the last look. */
    public synchronized void poll() {
        try {
            look();
        } finally {
            try {
                eachLook.accept(live.current());
            } catch (RuntimeException e) {
                log.warn("after looking at the manifests: {}", e.toString());
            }
        }
    }

    private void look() {
        ManifestSnapshot snapshot;
        try {
            snapshot = ManifestSnapshot.read(path);
        } catch (ManifestException e) {
            refuse(e.getMessage(), null);
            return;
        }
        if (snapshot.equals(lastSeen)) {
            return;
        }
        if (!snapshot.atomic() && !settled(snapshot)) {
            lookSoon();
            return;
        }
        try {
            if (loader == null) {
                loader = loaderFactory.get();
            }
            Fleet fleet = loader.load(snapshot);
            live.replace(fleet);
            servedGenerations.register(fleet.bots().stream().filter(bot -> bot.getMetadata().getGeneration() != null)
                    .map(bot -> MultiGauge.Row.of(Tags.of("bot", bot.getMetadata().getName()),
                            bot.getMetadata().getGeneration()))
                    .toList(), true);
            lastSeen = snapshot;
            reloads.increment();
            log.info("serving {} bot(s) from {}", fleet.bots().size(), path);
            fleet.bots().stream()
                    .filter(bot -> bot.getSpec().getAccessKeySecretRef() == null)
                    .forEach(bot -> log.warn("bot {} has no accessKeySecretRef and answers every caller; give it "
                            + "the access key from its Poe settings page", bot.getMetadata().getName()));
            fleet.bots().stream()
                    .filter(bot -> fleet.moneyBudgetUnpriced(bot.getSpec()))
                    .forEach(bot -> log.warn("bot {} has usd_milli_cents budgets, but neither spec.pricing nor the "
                            + "spec.prices of its LLMProvider price its model {}: its answers count nothing against "
                            + "them", bot.getMetadata().getName(), fleet.firstModel(bot.getSpec())));
        } catch (ManifestException e) {
            refuse(e.getMessage(), snapshot);
        } catch (RuntimeException e) {
            refuse(path + ": " + e, snapshot);
        }
    }

    /**
     * Whether a plain file reads the same again {@link #SETTLE} later: one caught while an editor or a script
     * rewrites it in place must not be served half-written. (A mounted ConfigMap is swapped whole.)
     */
    private boolean settled(ManifestSnapshot snapshot) {
        try {
            Thread.sleep(SETTLE.toMillis());
            return ManifestSnapshot.read(path).equals(snapshot);
        } catch (ManifestException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void refuse(String error, ManifestSnapshot snapshot) {
        if (!Objects.equals(snapshot, lastSeen) || live.lastError().isEmpty()) {
            failures.increment();
            log.warn("manifests refused, {}: {}", live.isLoaded() ? "still serving the previous configuration"
                    : "no bot is served yet", error);
        }
        lastSeen = snapshot;
        live.refuse(error);
    }

    @Override
    public void close() {
        poller.shutdownNow();
        if (fileEvents != null) {
            try {
                fileEvents.close();
            } catch (IOException e) {
                log.debug("closing the file events of {}: {}", path, e.getMessage());
            }
        }
    }
}
