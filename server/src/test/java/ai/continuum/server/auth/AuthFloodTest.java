package ai.continuum.server.auth;

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

/**
 * A client guessing secrets for a real key id over HTTP: it is throttled to 429 after a burst, its failures stop
 * being logged one line each and are counted, and the key's holder, even on the same address and never verified by
 * this process, keeps being served.
 */
class AuthFloodTest {
    @Test
    void shouldThrottleTheGuesserAndNeverTheHolder(@TempDir final Path dataDir) {
        try (DirectServer server = DirectServer.start(
                // One failure a minute after the burst: at 60 a minute one came back every second, so on a slow machine
                // (each guess for a real key id is hashed and checked) enough came back to leave fewer than 25 of the
                // 30 past the burst throttled.
                dataDir, Map.of(ConfigKey.AUTH_FAILURES_PER_MINUTE, "1"))) {
            final String key = server.createKey("victim");
            final String keyId = key.substring(3, 19);
            int throttled = 0;
            for (int i = 0; i < FailedAuthThrottle.BURST + 30; i++) {
                final TestServer.Reply r =
                        server.get("/v1/stats", "cm_" + keyId + "_" + "A".repeat(42) + (char) ('a' + i % 26));
                assertTrue(r.status() == 401 || r.status() == 429, r.status() + " " + r.body());
                if (r.status() == 429) {
                    throttled++;
                    assertNotNull(r.header("Retry-After"));
                    assertEquals("too_many_auth_failures", r.json().get("error").asText());
                }
            }
            assertTrue(throttled >= 25, "the guesser is throttled after its burst: " + throttled);
            final TestServer.Reply holder = server.get("/v1/stats", key);
            assertEquals(200, holder.status(), "the holder is served: " + holder.body());
            final String metrics = server.get("/metrics", null).body();
            assertTrue(metrics.contains("continuum_auth_failures_total{outcome=\"suppressed\"}"), metrics);
        }
    }
}
