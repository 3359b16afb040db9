package dev.botfleet.runtime.redis;

import dev.botfleet.testing.RedisServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real Redis server for one test class, and the stores its tests connect with, closed after each test; the stores'
 * metrics go to one registry a test.
 */
final class RedisFixture implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {

    private final String password;
    private final List<RedisStore> stores = new ArrayList<>();
    private RedisServer server;
    private SimpleMeterRegistry registry = new SimpleMeterRegistry();

    RedisFixture(String password) {
        this.password = password;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        server = RedisServer.start(password);
    }

    /** A connected store with a short timeout, as one replica has. */
    RedisStore store(RedisSettings.FailurePolicy policy) {
        RedisStore store = new RedisStore(new RedisSettings(server.url(), server.password(), Duration.ofMillis(300),
                policy, null), registry).connected(Duration.ofSeconds(5));
        stores.add(store);
        return store;
    }

    RedisServer server() {
        return server;
    }

    SimpleMeterRegistry registry() {
        return registry;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        stores.forEach(RedisStore::close);
        stores.clear();
        registry = new SimpleMeterRegistry();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        server.close();
    }
}
