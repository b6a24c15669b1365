package ai.continuum.server.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.server.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database turning unwritable under the running service: learns are refused with 503 {@code unavailable} in the
 * one error shape (never 500), recall keeps answering from the engine (readiness stays 200, writes reported refused),
 * the service recovers by itself once the
 * database accepts writes again, and no acknowledged learn is missing after a restart.
 */
class DatabaseFaultIT {
    private static final String DB = "continuum.db";
    private static final Duration RECOVERY = Duration.ofSeconds(15);

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void shouldAnswerUnavailableAndRecoverWhenTheDatabaseTurnsReadOnly(@TempDir final Path dir) throws Exception {
        final Path data = dir.resolve("data");
        final List<Long> acknowledged = new ArrayList<>();
        final String key;
        try (ServerProcess server = ServerProcess.start(data, dir.resolve("first.log"))) {
            key = server.createKey("faulty");
            for (int i = 0; i < 5; i++) {
                acknowledged.add(learnAcknowledged(server, key, i));
            }
            final Unwritable fault;
            try {
                fault = Unwritable.apply(data, DB);
            } catch (final UncheckedIOException e) {
                Assumptions.abort("this machine cannot make an open file unwritable: " + e.getMessage());
                return;
            }
            try (fault) {
                for (int i = 0; i < 3; i++) {
                    final TestServer.Reply reply = learn(server, key, 100 + i);
                    if (reply.status() == 200) {
                        assertFalse(fault.refusesOpenDescriptors(), "an immutable database acknowledged a write");
                        acknowledged.add(reply.json().get("memory_id").asLong());
                    } else {
                        assertUnavailable(reply);
                    }
                }
                if (fault.refusesOpenDescriptors()) {
                    // Reads still work, so the service stays ready; readiness says writes are refused.
                    final TestServer.Reply ready = server.get("/v1/ready", null);
                    assertEquals(200, ready.status(), ready.body());
                    assertEquals("degraded", ready.json().get("status").asText(), ready.body());
                    assertEquals("refused", ready.json().get("writes").asText(), ready.body());
                }
                final TestServer.Reply recall =
                        server.post("/v1/recall", key, Map.of("message", "What about the Harbor Project?"));
                assertEquals(200, recall.status(), recall.body());
                assertTrue(recall.json().get("concepts_found").asInt() > 0, recall.body());
            }
            assertTrue(server.awaitWrites(RECOVERY), "no recovery after the database became writable again");
            acknowledged.add(learnAcknowledged(server, key, 200));
        }
        try (ServerProcess restarted = ServerProcess.start(data, dir.resolve("second.log"))) {
            for (final long id : acknowledged) {
                final TestServer.Reply memory = restarted.get("/v1/memories/" + id, key);
                assertEquals(200, memory.status(), "acknowledged learn " + id + " lost: " + memory.body());
            }
            assertEquals(
                    acknowledged.size(),
                    restarted.get("/v1/stats", key).json().get("messages").asLong(),
                    "a refused learn must leave nothing behind");
        }
    }

    /**
     * The database file removed under the running service. SQLite keeps writing into the unlinked inode through its
     * open descriptors, so a commit "succeeds" into a file no restart will ever read: acknowledging it would be a
     * silent loss. The right behaviour: refuse writes with 503 {@code unavailable} and report the database unreachable
     * until the file is back, keep answering recall from the engine, and never answer 500.
     */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void shouldRefuseLearnsWhenTheDatabaseFileIsDeleted(@TempDir final Path dir) throws Exception {
        final Path data = dir.resolve("data");
        try (ServerProcess server = ServerProcess.start(data, dir.resolve("first.log"))) {
            final String key = server.createKey("deleted");
            learnAcknowledged(server, key, 0);
            for (final String suffix : new String[] {"", "-wal", "-shm"}) {
                Files.deleteIfExists(data.resolve(DB + suffix));
            }
            for (int i = 0; i < 3; i++) {
                assertUnavailable(learn(server, key, 100 + i));
            }
            final TestServer.Reply ready = server.get("/v1/ready", null);
            assertEquals(503, ready.status(), ready.body());
            final TestServer.Reply recall =
                    server.post("/v1/recall", key, Map.of("message", "What about the Harbor Project?"));
            assertEquals(200, recall.status(), recall.body());
        }
    }

    static TestServer.Reply learn(final ServerProcess server, final String key, final int n)
            throws IOException, InterruptedException {
        return server.post(
                "/v1/learn",
                key,
                Map.of(
                        "user_message", "Status of the Harbor Project, milestone " + n,
                        "ai_response", "I will ask the Lighthouse Team about milestone " + n + "."));
    }

    static long learnAcknowledged(final ServerProcess server, final String key, final int n)
            throws IOException, InterruptedException {
        final TestServer.Reply reply = learn(server, key, n);
        assertEquals(200, reply.status(), reply.body());
        return reply.json().get("memory_id").asLong();
    }

    /** 503, a Retry-After, and exactly the error shape of API.md: {@code {"error": "unavailable", "message": ...}}. */
    static void assertUnavailable(final TestServer.Reply reply) {
        assertEquals(503, reply.status(), reply.body());
        assertTrue(reply.headers().firstValue("Retry-After").isPresent(), "no Retry-After on " + reply.body());
        final JsonNode body = reply.json();
        assertEquals("unavailable", body.path("error").asText(), reply.body());
        assertTrue(body.path("message").isTextual(), reply.body());
        assertEquals(2, body.size(), "one error shape: " + reply.body());
    }
}
