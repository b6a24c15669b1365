package ai.continuum.server.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.server.TestServer;
import ai.continuum.server.redis.RedisProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two service processes on one PostgreSQL (the test's own cluster) and one Redis (the test's own redis-server): a
 * client limited through A is limited through B; with Redis killed both keep answering under their local limits and
 * report Redis unreachable while staying ready; once Redis is started again the limits are shared again.
 */
class SharedRateLimitIT {
    private static final int BURST = 4;
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void shouldShareLimitsAcrossInstancesFallBackWhileRedisIsDownAndShareAgain(@TempDir final Path dir)
            throws Exception {
        try (PrivatePostgres pg = PrivatePostgres.create(dir.resolve("pg"));
                RedisProcess redis = RedisProcess.start(dir.resolve("redis"))) {
            pg.createDatabase("limits");
            final Map<String, String> env = Map.of(
                    "CONTINUUM_STORAGE_BACKEND",
                    "postgresql",
                    "CONTINUUM_CONNECTION_STRING",
                    pg.url("limits", ""),
                    "CONTINUUM_REDIS_URL",
                    redis.url(),
                    // Generous for a loaded test machine: a slower answer would count as Redis down.
                    "CONTINUUM_REDIS_TIMEOUT_MS",
                    "500",
                    "CONTINUUM_RATE_LIMIT",
                    "1",
                    "CONTINUUM_RATE_LIMIT_BURST",
                    Integer.toString(BURST));
            try (ServerProcess a = ServerProcess.start(dir.resolve("a"), dir.resolve("a.log"), env);
                    ServerProcess b = ServerProcess.start(dir.resolve("b"), dir.resolve("b.log"), env)) {
                awaitRedis(a, "connected");
                awaitRedis(b, "connected");
                final String first = a.createKey("limited-first");
                spend(a, first);
                final TestServer.Reply onB = b.get("/v1/stats", first);
                assertEquals(429, onB.status(), "limited through A, so limited through B: " + onB.body());
                assertEquals("rate_limited", onB.json().get("error").asText());

                redis.stop();
                final String second = a.createKey("limited-second");
                for (final ServerProcess s : new ServerProcess[] {a, b}) {
                    for (int i = 0; i < BURST; i++) {
                        final TestServer.Reply r = s.get("/v1/stats", second);
                        assertEquals(200, r.status(), "Redis down never fails a request: " + r.body());
                    }
                    assertEquals(429, s.get("/v1/stats", second).status(), "the local limit still applies");
                    awaitRedis(s, "unreachable");
                    assertEquals(200, s.get("/v1/ready", null).status(), "Redis is optional: still ready");
                }

                redis.start();
                awaitRedis(a, "connected");
                awaitRedis(b, "connected");
                final String third = a.createKey("limited-third");
                spend(a, third);
                assertEquals(429, b.get("/v1/stats", third).status(), "shared again once Redis is back");
            }
        }
    }

    /** Spends the key's burst through {@code s}: BURST answers 200, the next 429. */
    private static void spend(final ServerProcess s, final String key) throws IOException, InterruptedException {
        for (int i = 0; i < BURST; i++) {
            final TestServer.Reply r = s.get("/v1/stats", key);
            assertEquals(200, r.status(), r.body());
        }
        assertEquals(429, s.get("/v1/stats", key).status());
    }

    private static void awaitRedis(final ServerProcess s, final String state) throws Exception {
        final long end = System.nanoTime() + DEADLINE.toNanos();
        while (true) {
            final TestServer.Reply ready = s.get("/v1/ready", null);
            if (state.equals(ready.json().path("redis").asText())) {
                return;
            }
            assertTrue(
                    System.nanoTime() < end,
                    "redis never " + state + ": " + ready.body() + "\n" + ServerProcess.tail(s.log()));
            Thread.sleep(50);
        }
    }
}
