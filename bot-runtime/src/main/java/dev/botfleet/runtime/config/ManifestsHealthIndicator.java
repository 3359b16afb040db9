package dev.botfleet.runtime.config;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * Part of readiness: up once a valid configuration is served. A later refused change keeps it up (the previous
 * configuration still serves) and shows why under {@code lastReloadError}.
 */
public final class ManifestsHealthIndicator implements HealthIndicator {

    private final LiveFleet live;
    private final String path;

    public ManifestsHealthIndicator(LiveFleet live, String path) {
        this.live = live;
        this.path = path;
    }

    @Override
    public Health health() {
        Health.Builder health = live.isLoaded() ? Health.up() : Health.outOfService();
        health.withDetail("manifests", path).withDetail("bots", live.current().bots().size());
        live.lastLoaded().ifPresent(time -> health.withDetail("loadedAt", time.toString()));
        live.lastError().ifPresent(error -> health.withDetail("lastReloadError", error));
        return health.build();
    }
}
