package ai.continuum.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.engine.Delta;
import ai.continuum.engine.SizeLimits;
import ai.continuum.server.ContinuumServer;
import ai.continuum.server.DirectServer;
import ai.continuum.server.TestServer;
import ai.continuum.server.config.ConfigKey;
import ai.continuum.server.storage.Storage;
import ai.continuum.server.storage.StorageOp;
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
    /** No keys needed; a body limit above the size limits, so that they (not the body limit) refuse. */
    private static final Map<ConfigKey, String> SETTINGS =
            Map.of(ConfigKey.REQUIRE_API_KEY, "false", ConfigKey.MAX_BODY_BYTES, Long.toString(32L << 20));

    @TempDir
    Path dir;

    private static TestServer.Reply post(final DirectServer server, final String path, final String json) {
        return server.post(path, null, json);
    }

    private static void assertRefused(final TestServer.Reply res, final String limit) {
        assertEquals(413, res.status(), res.body());
        assertTrue(res.body().contains("\"error\":\"size_limit_exceeded\""), res.body());
        assertTrue(res.body().contains(limit), res.body());
    }

    @Test
    void shouldRefuseOversizedContentOnEveryWriteEndpointBeforeWritingAnything() {
        final String big = "x".repeat(SizeLimits.MEMORY_BYTES + 1);
        final String bigMetadata = "{\"k\":\"" + "m".repeat(SizeLimits.METADATA_BYTES) + "\"}";
        try (DirectServer server = DirectServer.start(dir, SETTINGS)) {
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
                            .status(),
                    "a memory within the limits is still learned");
        }
    }

    @Test
    void shouldStartSkippingAStoredRowOverTheLimitsAndReportIt() {
        final long now = System.currentTimeMillis();
        // Rows as an older version stored them, before the limits: 20 MiB cannot live in one engine block.
        try (Storage storage = ContinuumServer.openStorage(TestServer.config(dir, SETTINGS))) {
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
        try (DirectServer server = DirectServer.start(dir, SETTINGS)) {
            assertEquals(1, server.core().skippedRows());
            final TestServer.Reply ready = server.get("/v1/ready", null);
            assertEquals(200, ready.status(), ready.body());
            assertEquals(1, ready.json().get("skipped_rows").asLong(), ready.body());
            assertTrue(server.engine().memory("default", 8).isPresent(), "the other memory is loaded");
            assertTrue(server.engine().memory("default", 7).isEmpty());
            final Storage.ContinuityCheck check = server.storage().verifyContinuity("default");
            assertTrue(check.intact(), "an oversized row is not tampering: " + check.problem());
        }
    }
}
