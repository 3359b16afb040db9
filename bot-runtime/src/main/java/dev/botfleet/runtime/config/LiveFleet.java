package dev.botfleet.runtime.config;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/** The configuration being served now, and what the last reload attempt said. */
public final class LiveFleet {

    private final AtomicReference<Fleet> current = new AtomicReference<>(Fleet.empty());
    private volatile boolean loaded;
    private volatile String lastError;
    private volatile Instant lastLoaded;

    public Fleet current() {
        return current.get();
    }

    /** Whether a valid configuration has been loaded since start. */
    public boolean isLoaded() {
        return loaded;
    }

    /** Why the newest manifests were refused, while an older configuration keeps serving. */
    public Optional<String> lastError() {
        return Optional.ofNullable(lastError);
    }

    public Optional<Instant> lastLoaded() {
        return Optional.ofNullable(lastLoaded);
    }

    void replace(Fleet fleet) {
        current.set(fleet);
        lastLoaded = Instant.now();
        lastError = null;
        loaded = true;
    }

    void refuse(String error) {
        lastError = error;
    }
}
