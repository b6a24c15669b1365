package ai.continuum.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.server.DirectServer;
import ai.continuum.server.LogCapture;
import ai.continuum.server.TestServer;
import ai.continuum.server.config.ConfigKey;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client hammering past its rate limit writes one access line for its 429s, not one per request; every 429 is still
 * counted in {@code continuum_access_lines_429_total}, and answers keep coming (the sampling only concerns the log).
 */
class RateLimitedAccessLinesTest {
    @Test
    void shouldWriteOneAccessLinePerAddressAMinuteFor429s(@TempDir final Path dataDir) throws InterruptedException {
        try (LogCapture access = LogCapture.of(AccessLogFilter.LOGGER);
                DirectServer server = DirectServer.start(
                        dataDir, Map.of(ConfigKey.RATE_LIMIT_PER_MINUTE, "1", ConfigKey.RATE_LIMIT_BURST, "2"))) {
            final String key = server.createKey("limited");
            assertEquals(200, server.get("/v1/stats", key).status());
            assertEquals(200, server.get("/v1/stats", key).status());
            for (int i = 0; i < 50; i++) {
                assertEquals(429, server.get("/v1/stats", key).status());
            }
            assertEquals(200, server.get("/v1/health", null).status(), "a later answer's line is written as ever");
            // The filter writes a request's line after its answer has gone out, so the client can see the answer
            // before the line exists: wait (bounded) for the last request's line and every 429's count.
            awaitLogged(access, server);
            final List<String> lines = access.messages();

            final long written429 =
                    lines.stream().filter(l -> l.contains(" 429 ")).count();
            assertEquals(1, written429, "one 429 line a minute per address: " + lines);
            assertEquals(
                    2,
                    lines.stream().filter(l -> l.contains("/v1/stats\" 200 ")).count(),
                    lines.toString());
            assertTrue(lines.stream().anyMatch(l -> l.contains("/v1/health\" 200 ")), lines.toString());
            final String metrics = server.get("/metrics", TestServer.ADMIN_KEY).body();
            assertTrue(
                    metrics.contains("continuum_access_lines_429_total{outcome=\"left_out\"} 49.0"),
                    "the 429s left out of the log are counted:\n" + metrics);
            assertTrue(metrics.contains("continuum_access_lines_429_total{outcome=\"written\"} 1.0"), metrics);
        }
    }

    private static void awaitLogged(final LogCapture access, final DirectServer server) throws InterruptedException {
        final long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            final boolean healthLogged = access.messages().stream().anyMatch(l -> l.contains("/v1/health\" 200 "));
            if (healthLogged
                    && server.get("/metrics", TestServer.ADMIN_KEY)
                            .body()
                            .contains("continuum_access_lines_429_total{outcome=\"left_out\"} 49.0")) {
                return;
            }
            Thread.sleep(10);
        }
    }
}
