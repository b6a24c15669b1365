package ai.continuum.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.engine.MemoryEngine;
import ai.continuum.server.DirectApiClient;
import ai.continuum.server.TestServer;
import ai.continuum.server.auth.ApiKeyAuthenticator;
import ai.continuum.server.auth.KeyHasher;
import ai.continuum.server.config.ConfigKey;
import ai.continuum.server.config.ConfigLoader;
import ai.continuum.server.config.ServerConfig;
import ai.continuum.server.core.ContinuumCore;
import ai.continuum.server.core.ScriptedStorage;
import ai.continuum.server.metrics.ContinuumMetrics;
import ai.continuum.server.ratelimit.RateLimiter;
import ai.continuum.server.storage.ApiKeys;
import io.helidon.webserver.http.HttpRouting;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A full write queue and a loading engine answer 503 with Retry-After, and the engine is left untouched. The routing
 * runs over a scripted storage, called without a socket.
 */
class StorageFailureHttpTest {
    static MemoryEngine engine;
    static ScriptedStorage storage;
    static ContinuumCore core;
    static DirectApiClient server;

    private static final ApiKeys NO_KEYS = new ApiKeys() {
        @Override
        public void insert(final StoredKey key) {}

        @Override
        public Optional<StoredKey> find(final String keyId) {
            return Optional.empty();
        }

        @Override
        public List<StoredKey> list() {
            return List.of();
        }

        @Override
        public boolean revoke(final String keyId, final Instant at) {
            return false;
        }

        @Override
        public void touch(final String keyId, final Instant at) {}

        @Override
        public boolean rehash(final String keyId, final String oldHash, final String newHash) {
            return false;
        }
    };

    @BeforeAll
    static void start() {
        final ServerConfig config = new ConfigLoader(
                        Map.of(), Map.of(ConfigKey.REQUIRE_API_KEY, "false", ConfigKey.PORT, "0"), null)
                .load();
        engine = MemoryEngine.create(config.engine());
        storage = new ScriptedStorage();
        final ContinuumMetrics metrics = new ContinuumMetrics();
        core = new ContinuumCore(engine, storage, metrics);
        final ApiKeyAuthenticator keys = new ApiKeyAuthenticator(
                NO_KEYS, new KeyHasher(1000), "unused-admin-key-0123456789", "default", 0, System::nanoTime);
        final HttpRouting.Builder routing = HttpRouting.builder();
        ApiRouting.routing(routing, config, core, keys, new RateLimiter(0, 1, System::nanoTime), metrics);
        server = new DirectApiClient(routing);
    }

    @AfterAll
    static void stop() {
        server.close();
        engine.close();
    }

    private static TestServer.Reply learn() {
        return server.post(
                "/v1/learn",
                null,
                "{\"user_message\":\"Solar Panels\",\"ai_response\":\"Solar Panels and Wind Turbines\"}");
    }

    @Test
    void shouldAnswer503WhileLoadingThenServeWhenLoaded() {
        final TestServer.Reply loading = learn();
        assertEquals(503, loading.status(), loading.body());
        assertTrue(loading.body().contains("\"error\":\"loading\""), loading.body());
        assertTrue(loading.header("Retry-After") != null, "Retry-After");

        core.rebuild();
        storage.mode = ScriptedStorage.Mode.QUEUE_FULL;
        final TestServer.Reply full = learn();
        assertEquals(503, full.status(), full.body());
        assertTrue(full.body().contains("\"error\":\"queue_full\""), full.body());
        assertEquals("3", full.header("Retry-After"));
        assertEquals(0, engine.stats("default").memories());

        storage.mode = ScriptedStorage.Mode.UNAVAILABLE;
        final TestServer.Reply down = learn();
        assertEquals(503, down.status(), down.body());
        assertTrue(down.body().contains("\"error\":\"unavailable\""), down.body());
        for (final String leak : new String[] {"PSQLException", "SQLState", "3D000", "tenants_prod"}) {
            assertFalse(down.body().contains(leak), "the driver's details stay in the log: " + down.body());
        }

        storage.mode = ScriptedStorage.Mode.COMMIT;
        assertEquals(200, learn().status());
        assertEquals(1, engine.stats("default").memories());
    }
}
