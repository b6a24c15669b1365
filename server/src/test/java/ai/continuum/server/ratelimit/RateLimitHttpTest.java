package ai.continuum.server.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.server.DirectServer;
import ai.continuum.server.TestServer;
import ai.continuum.server.config.ConfigKey;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RateLimitHttpTest {
    @Test
    void shouldAnswer429WithRetryAfterWhenBurstIsSpent(@TempDir final Path dataDir) {
        try (DirectServer server = DirectServer.start(
                dataDir, Map.of(ConfigKey.RATE_LIMIT_PER_MINUTE, "1", ConfigKey.RATE_LIMIT_BURST, "3"))) {
            final String key = server.createKey("limited");
            final String other = server.createKey("other");
            for (int i = 2; i >= 0; i--) {
                final TestServer.Reply ok = server.get("/v1/stats", key);
                assertEquals(200, ok.status());
                assertEquals("1", ok.header("X-RateLimit-Limit"));
                assertEquals(Integer.toString(i), ok.header("X-RateLimit-Remaining"));
            }
            final TestServer.Reply limited = server.get("/v1/stats", key);
            assertEquals(429, limited.status(), limited.body());
            assertEquals("rate_limited", limited.json().get("error").asText());
            assertNotNull(limited.header("Retry-After"));
            assertTrue(Integer.parseInt(limited.header("Retry-After")) >= 1);
            assertEquals("0", limited.header("X-RateLimit-Remaining"));
            assertEquals(200, server.get("/v1/stats", other).status(), "another key has its own bucket");
            assertEquals(200, server.get("/v1/health", null).status(), "health is never limited");
        }
    }
}
