package ai.continuum.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.server.DirectServer;
import ai.continuum.server.LogCapture;
import ai.continuum.server.TestServer;
import ai.continuum.server.logging.LogSetup;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Request ids on every response, and the access log as real JSON fields. */
class AccessLogTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REQUEST_ID = "X-Request-Id";

    @Test
    void everyResponseCarriesARequestIdAndTheAccessLogHasItAsAField(@TempDir final Path dataDir) throws Exception {
        try (LogCapture access = LogCapture.of(AccessLogFilter.LOGGER);
                DirectServer server = DirectServer.start(dataDir)) {
            final List<LogRecord> records = access.records();
            final TestServer.Reply ok = server.get("/v1/health", null);
            final TestServer.Reply unauthorized = server.get("/v1/stats", null);
            final TestServer.Reply missing = server.get("/v1/no-such-thing", TestServer.ADMIN_KEY);
            for (final TestServer.Reply r : List.of(ok, unauthorized, missing)) {
                assertTrue(
                        r.header("X-Request-Id").matches("[0-9a-f]{32}"), r.status() + ": " + r.header("X-Request-Id"));
            }
            assertEquals(401, unauthorized.status());
            assertNotEquals(ok.header("X-Request-Id"), unauthorized.header("X-Request-Id"));

            final TestServer.Reply echoed =
                    server.exchange("GET", "/v1/ready", null, Map.of(REQUEST_ID, "lb-7f3a.42"), null);
            assertEquals("lb-7f3a.42", echoed.header("X-Request-Id"), "a proxy's id is kept");
            final TestServer.Reply replaced =
                    server.exchange("GET", "/v1/ready", null, Map.of(REQUEST_ID, "x".repeat(129)), null);
            assertTrue(replaced.header("X-Request-Id").matches("[0-9a-f]{32}"), "an over-long id is replaced");

            final LogRecord record = waitFor(records, "lb-7f3a.42");
            final JsonNode line = JSON.readTree(new LogSetup.JsonFormatter().format(record));
            assertEquals("lb-7f3a.42", line.get("request_id").asText());
            assertEquals("GET", line.get("method").asText());
            assertEquals("/v1/ready", line.get("path").asText());
            assertEquals(200, line.get("status").asInt());
            assertTrue(line.get("duration_ms").isNumber(), line.toString());
            assertNotNull(line.get("message"), "the human-readable line stays");
            final JsonNode denied = JSON.readTree(
                    new LogSetup.JsonFormatter().format(waitFor(records, unauthorized.header("X-Request-Id"))));
            assertEquals(401, denied.get("status").asInt(), denied.toString());
        }
    }

    private static LogRecord waitFor(final List<LogRecord> records, final String id) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            for (final LogRecord r : records) {
                if (r.getMessage().endsWith("id=" + id)) {
                    return r;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no access record for " + id + " in " + records.size() + " records");
    }

    /** The line's text is what the format string it replaced wrote, for whole microseconds (as a clock reads them). */
    @Test
    void shouldWriteTheMessageAsTheFormatStringDid() {
        final java.util.Random random = new java.util.Random(5);
        for (int i = 0; i < 20_000; i++) {
            final long micros = i < 5_000 ? i : (long) (random.nextDouble() * random.nextDouble() * 1e9);
            final double ms = micros / 1e3;
            final long leftOut = i % 7 == 0 ? i : 0;
            final String expected = String.format(
                            java.util.Locale.ROOT,
                            "%s \"%s %s\" %d %.3f ms id=%s",
                            "10.0.0.1",
                            "POST",
                            "/v1/recall",
                            200,
                            ms,
                            "abc")
                    + (leftOut > 0 ? " left_out=" + leftOut : "");
            assertEquals(expected, AccessLogFilter.message("10.0.0.1", "POST", "/v1/recall", 200, ms, "abc", leftOut));
        }
    }

    @Test
    void shouldMakeIdsOfThirtyTwoHexDigits() {
        final java.util.Set<String> ids = new java.util.HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            final String id = AccessLogFilter.newId();
            assertTrue(id.matches("[0-9a-f]{32}"), id);
            ids.add(id);
        }
        assertEquals(1_000, ids.size());
    }
}
