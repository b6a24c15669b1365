package ai.continuum.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.engine.Delta;
import ai.continuum.engine.SizeLimits;
import ai.continuum.server.ContinuumServer;
import ai.continuum.server.config.ConfigKey;
import ai.continuum.server.config.ConfigLoader;
import ai.continuum.server.config.ServerConfig;
import ai.continuum.server.storage.Storage;
import ai.continuum.server.storage.StorageOp;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The size limits: an oversized memory, metadata or concept is refused with 413 naming the limit before anything is
 * written, on every write endpoint; a stored row over the limits (written before they existed) no longer stops the
 * next start: it is skipped and reported by readiness, and the chain that holds it still verifies.
 */
class SizeLimitsHttpTest {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    private ServerConfig config() {
        return new ConfigLoader(
                        Map.of(),
                        Map.of(
                                ConfigKey.REQUIRE_API_KEY,
                                "false",
                                ConfigKey.PORT,
                                "0",
                                ConfigKey.DATA_DIR,
                                dir.toString(),
                                ConfigKey.MAX_BODY_BYTES,
                                Long.toString(32L << 20),
                                ConfigKey.ADMIN_KEY,
                                "admin-key-for-size-limits-0123456789"),
                        null)
                .load();
    }

    private static HttpResponse<String> post(final ContinuumServer server, final String path, final String json)
            throws Exception {
        return CLIENT.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(final ContinuumServer server, final String path) throws Exception {
        return CLIENT.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void assertRefused(final HttpResponse<String> res, final String limit) {
        assertEquals(413, res.statusCode(), res.body());
        assertTrue(res.body().contains("\"error\":\"size_limit_exceeded\""), res.body());
        assertTrue(res.body().contains(limit), res.body());
    }

    @Test
    void shouldRefuseOversizedContentOnEveryWriteEndpointBeforeWritingAnything() throws Exception {
        final String big = "x".repeat(SizeLimits.MEMORY_BYTES + 1);
        final String bigMetadata = "{\"k\":\"" + "m".repeat(SizeLimits.METADATA_BYTES) + "\"}";
        try (ContinuumServer server = ContinuumServer.start(config(), message -> {})) {
            assertRefused(
                    post(server, "/v1/learn", "{\"user_message\":\"" + big + "\",\"ai_response\":\"ok\"}"),
                    "memory_bytes");
            assertRefused(
                    post(
                            server,
                            "/v1/learn",
                            "{\"user_message\":\"" + big + "\",\"ai_response\":\"ok\"," + "\"async\":true}"),
                    "memory_bytes");
            assertRefused(
                    post(server, "/v1/turn", "{\"user_message\":\"hi\",\"ai_response\":\"" + big + "\"}"),
                    "memory_bytes");
            assertRefused(post(server, "/v1/memories", "{\"content\":\"" + big + "\"}"), "memory_bytes");
            assertRefused(
                    post(
                            server,
                            "/v1/learn",
                            "{\"user_message\":\"hi\",\"ai_response\":\"ok\",\"metadata\":" + bigMetadata + "}"),
                    "metadata_bytes");
            assertRefused(
                    post(server, "/v1/memories", "{\"content\":\"hi\",\"metadata\":" + bigMetadata + "}"),
                    "metadata_bytes");

            assertEquals(0, server.storage().continuity("default").length(), "nothing was written");
            assertEquals(0, server.engine().stats("default").memories());
            assertEquals(
                    200,
                    post(server, "/v1/learn", "{\"user_message\":\"Solar Panels\",\"ai_response\":\"ok\"}")
                            .statusCode(),
                    "a memory within the limits is still learned");
        }
    }

    @Test
    void shouldStartSkippingAStoredRowOverTheLimitsAndReportIt() throws Exception {
        final ServerConfig config = config();
        final long now = System.currentTimeMillis();
        // Rows as an older version stored them, before the limits: 20 MiB cannot live in one engine block.
        try (Storage storage = ContinuumServer.openStorage(config)) {
            storage.submit(new StorageOp.Apply(
                            "default",
                            new Delta(
                                    List.of(),
                                    List.of(),
                                    List.of(),
                                    List.of(
                                            new Delta.MemoryDelta(
                                                    7, "s", "y".repeat(20 << 20), "", "", "", now, List.of()),
                                            new Delta.MemoryDelta(
                                                    8, "s", "Wind Turbines", "kept", "", "", now, List.of())),
                                    List.of())))
                    .join();
        }
        try (ContinuumServer server = ContinuumServer.start(config, message -> {})) {
            assertEquals(1, server.core().skippedRows());
            final HttpResponse<String> ready = get(server, "/v1/ready");
            assertEquals(200, ready.statusCode(), ready.body());
            final JsonNode body = Json.MAPPER.readTree(ready.body());
            assertEquals(1, body.get("skipped_rows").asLong(), ready.body());
            assertTrue(server.engine().memory("default", 8).isPresent(), "the other memory is loaded");
            assertTrue(server.engine().memory("default", 7).isEmpty());
            final Storage.ContinuityCheck check = server.storage().verifyContinuity("default");
            assertTrue(check.intact(), "an oversized row is not tampering: " + check.problem());
        }
    }
}
