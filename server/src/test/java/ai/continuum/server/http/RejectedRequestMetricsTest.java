package ai.continuum.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.continuum.server.Await;
import ai.continuum.server.DirectServer;
import ai.continuum.server.config.ConfigKey;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests refused before routing (401 by authentication, 429 by the rate limiter) are counted under the route they
 * were for, so a dashboard of 401s or 429s by route shows which endpoint is hit; only paths no route serves are
 * {@code unmatched}.
 */
class RejectedRequestMetricsTest {
    @Test
    void refusedRequestsCarryTheirRouteTemplate(@TempDir final Path dataDir) {
        try (DirectServer server = DirectServer.start(
                dataDir, Map.of(ConfigKey.RATE_LIMIT_PER_MINUTE, "1", ConfigKey.RATE_LIMIT_BURST, "1"))) {
            assertEquals(
                    401, server.get("/v1/memories/12345", "ck_wrong_secret").status());
            assertEquals(
                    401, server.post("/v1/recall", null, "{\"message\":\"x\"}").status());
            final String key = server.createKey("tenant-a");
            assertEquals(
                    200, server.post("/v1/recall", key, "{\"message\":\"x\"}").status());
            assertEquals(
                    429, server.post("/v1/recall", key, "{\"message\":\"x\"}").status());
            assertEquals(404, server.get("/v1/no-such-route", null).status());

            // Each request is counted after its answer went out: wait (bounded) until all four are.
            final String text = Await.scrapeShowing(
                    () -> server.get("/metrics", null).body(),
                    "continuum_http_requests_total{method=\"GET\",route=\"/v1/memories/{id}\",status=\"401\"} 1.0",
                    "continuum_http_requests_total{method=\"POST\",route=\"/v1/recall\",status=\"401\"} 1.0",
                    "continuum_http_requests_total{method=\"POST\",route=\"/v1/recall\",status=\"429\"} 1.0",
                    "continuum_http_requests_total{method=\"GET\",route=\"unmatched\",status=\"404\"}");
            assertFalse(text.contains("route=\"unmatched\",status=\"401\""), text);
            assertFalse(text.contains("route=\"unmatched\",status=\"429\""), text);
            assertFalse(text.contains("/v1/memories/12345"), "a raw path is never a label");
        }
    }
}
