package dev.botfleet.runtime.config;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
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
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
    private static final Duration SETTLE = Duration.ofMillis(50);

    private final Path path;
    private final Supplier<ManifestLoader> loaderFactory;
    private ManifestLoader loader;
    private final LiveFleet live;
    private final Counter reloads;
    private final Counter failures;
    private final ScheduledExecutorService poller;
    private final AtomicBoolean lookPending = new AtomicBoolean();
    private WatchService fileEvents;
    private byte[] lastFingerprint = new byte[0];
    private Future<?> firstLoad = CompletableFuture.completedFuture(null);

    public ManifestWatcher(Path path, Supplier<ManifestLoader> loaderFactory, LiveFleet live, MeterRegistry registry) {
        this.path = path;
        this.loaderFactory = loaderFactory;
        this.live = live;
        this.reloads = Counter.builder("botfleet.config.reloads")
                .description("Configurations loaded from the manifests").register(registry);
        this.failures = Counter.builder("botfleet.config.reload.failures")
                .description("Changes to the manifests that were refused").register(registry);
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

    /**
     * Turns each burst of file events into one look, {@link #SETTLE} after its first event: one ConfigMap update
     * or one editor save is several events.
     */
    private void relayFileEvents() {
        try {
            while (true) {
                WatchKey key = fileEvents.take();
                key.pollEvents();
                if (lookPending.compareAndSet(false, true)) {
                    poller.schedule(() -> {
                        lookPending.set(false);
                        poll();
                    }, SETTLE.toMillis(), TimeUnit.MILLISECONDS);
                }
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

    /** Reloads if the manifests changed since the last look. */
    public synchronized void poll() {
        byte[] fingerprint;
        try {
            fingerprint = fingerprint();
        } catch (ManifestException e) {
            refuse(e.getMessage(), new byte[0]);
            return;
        }
        if (Arrays.equals(fingerprint, lastFingerprint)) {
            return;
        }
        try {
            if (loader == null) {
                loader = loaderFactory.get();
            }
            Fleet fleet = loader.load(path);
            live.replace(fleet);
            lastFingerprint = fingerprint;
            reloads.increment();
            log.info("serving {} bot(s) from {}", fleet.bots().size(), path);
            fleet.bots().stream()
                    .filter(bot -> bot.getSpec().getAccessKeySecretRef() == null)
                    .forEach(bot -> log.warn("bot {} has no accessKeySecretRef and answers every caller; give it "
                            + "the access key from its Poe settings page", bot.getMetadata().getName()));
        } catch (ManifestException e) {
            refuse(e.getMessage(), fingerprint);
        } catch (RuntimeException e) {
            refuse(path + ": " + e, fingerprint);
        }
    }

    private void refuse(String error, byte[] fingerprint) {
        if (!Arrays.equals(fingerprint, lastFingerprint) || live.lastError().isEmpty()) {
            failures.increment();
            log.warn("manifests refused, {}: {}", live.isLoaded() ? "still serving the previous configuration"
                    : "no bot is served yet", error);
        }
        lastFingerprint = fingerprint;
        live.refuse(error);
    }

    private byte[] fingerprint() {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (Path file : ManifestLoader.files(path)) {
                digest.update(file.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                digest.update(Files.readAllBytes(file));
            }
            return digest.digest();
        } catch (IOException e) {
            throw new ManifestException(path + ": cannot read: " + e.getMessage());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
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
