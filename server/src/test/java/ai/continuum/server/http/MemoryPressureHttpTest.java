package ai.continuum.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.server.TestServer;
import ai.continuum.server.core.MemoryPressure;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Near its memory limit the service refuses what adds data, 503 {@code memory_pressure} with {@code Retry-After},
 * applying nothing, while recalls and forgets go on and readiness says writes are refused; below the margin it accepts
 * again. The held memory is scripted: the guard reads it as it would read the process.
 */
class MemoryPressureHttpTest {
    private static final long LIMIT = 256L << 20;

    @TempDir
    Path dir;

    @Test
    void refusesLearnsAndStoredMemoriesNearTheLimitAndServesEverythingElse() throws Exception {
        final AtomicLong held = new AtomicLong(LIMIT / 2);
        try (TestServer server = TestServer.start(dir.resolve("data"))) {
            server.server().core().limitMemory(MemoryPressure.reading(LIMIT, 90, () -> OptionalLong.of(held.get())));
            final String key = server.createKey("pressure");
            final TestServer.Reply before = learn(server, key, "The Harbor Project ships in March.");
            assertEquals(200, before.status(), before.body());
            final String memoryId = before.json().get("memory_id").asText();

            held.set(LIMIT / 100 * 95);
            final TestServer.Reply refused = awaitStatus(server, key, 503);
            assertEquals("memory_pressure", refused.json().get("error").asText(), refused.body());
            assertTrue(refused.json().get("message").asText().contains("nothing was applied"), refused.body());
            assertEquals("10", refused.header("Retry-After"));
            final long messages =
                    server.get("/v1/stats", key).json().get("messages").asLong();
            assertEquals(
                    503,
                    learn(server, key, "Refused: the Lighthouse Team moved").status());
            final TestServer.Reply stored =
                    server.post("/v1/memories", key, Map.of("content", "Lighthouse Team notes"));
            assertEquals(503, stored.status(), stored.body());
            assertEquals(
                    messages,
                    server.get("/v1/stats", key).json().get("messages").asLong(),
                    "nothing was applied");

            final TestServer.Reply recall = server.post("/v1/recall", key, Map.of("message", "Harbor Project"));
            assertEquals(200, recall.status(), recall.body());
            assertFalse(recall.json().get("memories").isEmpty(), recall.body());
            final TestServer.Reply ready = server.get("/v1/ready", null);
            assertEquals(200, ready.status(), ready.body());
            assertEquals("degraded", ready.json().get("status").asText(), ready.body());
            assertEquals("refused", ready.json().get("writes").asText(), ready.body());
            assertTrue(ready.json().get("memory_pressure").asBoolean(), ready.body());
            assertEquals(200, server.delete("/v1/memories/" + memoryId, key).status(), "a forget frees memory");

            held.set(LIMIT / 2);
            final TestServer.Reply after = awaitStatus(server, key, 200);
            assertEquals(200, after.status(), after.body());
            assertFalse(
                    server.get("/v1/ready", null).json().get("memory_pressure").asBoolean());
        }
    }

    private static TestServer.Reply learn(final TestServer server, final String key, final String text) {
        return server.post("/v1/learn", key, Map.of("user_message", text, "ai_response", "Noted."));
    }

    /** Learns until one answers {@code status}: the guard reads the held memory at most every 250 ms. */
    private static TestServer.Reply awaitStatus(final TestServer server, final String key, final int status)
            throws InterruptedException {
        TestServer.Reply reply = null;
        for (int i = 0; i < 50; i++) {
            reply = learn(server, key, "Probe " + i + " of the Release Train");
            if (reply.status() == status) {
                return reply;
            }
            Thread.sleep(50);
        }
        return reply;
    }
}
