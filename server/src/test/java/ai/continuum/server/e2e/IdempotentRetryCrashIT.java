package ai.continuum.server.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.server.TestServer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly once through a crash: clients learn with an {@code Idempotency-Key} each, the server is killed with SIGKILL
 * mid-stream (so some learns are committed but unanswered, some neither), and after a restart every client retries
 * every key it sent, answered or not. Each key is then stored exactly once: the database holds as many memories as
 * keys were sent, and every retry of an answered key names the memory of its first answer.
 */
class IdempotentRetryCrashIT {
    private static final int CLIENTS = 4;
    private static final int ACKS_BEFORE_KILL = 80;

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void shouldStoreEveryKeyExactlyOnceWhenRetriedAfterAKill(@TempDir final Path dir) throws Exception {
        final Path data = dir.resolve("data");
        final Map<String, Map<String, Object>> sent = new ConcurrentHashMap<>();
        final Map<String, Long> answered = new ConcurrentHashMap<>();
        final String key;
        final ServerProcess first = ServerProcess.start(data, dir.resolve("first.log"));
        try {
            key = first.createKey("idem-crash");
            final CountDownLatch enough = new CountDownLatch(ACKS_BEFORE_KILL);
            try (ExecutorService clients = Executors.newFixedThreadPool(CLIENTS)) {
                final List<Future<?>> running = new ArrayList<>();
                for (int c = 0; c < CLIENTS; c++) {
                    final int client = c;
                    running.add(clients.submit(() -> {
                        for (int i = 0; ; i++) {
                            final String idem = "c" + client + "-" + i;
                            final Map<String, Object> body = Map.of(
                                    "user_message",
                                    "Client" + client + " asks about the Harbor Project " + i,
                                    "ai_response",
                                    "Lighthouse Team, step " + i,
                                    "session_id",
                                    "client-" + client);
                            sent.put(idem, body);
                            try {
                                final TestServer.Reply r = first.post("/v1/learn", key, idem, body);
                                if (r.status() != 200) {
                                    throw new AssertionError("learn answered " + r.status() + ": " + r.body());
                                }
                                answered.put(idem, r.json().get("memory_id").asLong());
                                enough.countDown();
                            } catch (final IOException e) {
                                return null;
                            }
                        }
                    }));
                }
                assertTrue(
                        enough.await(60, TimeUnit.SECONDS),
                        "too few learns answered; log:\n" + ServerProcess.tail(first.log()));
                first.kill();
                for (final Future<?> f : running) {
                    f.get(30, TimeUnit.SECONDS);
                }
            }
        } finally {
            first.close();
        }
        assertTrue(sent.size() > answered.size(), "the kill must leave learns unanswered");

        try (ServerProcess second = ServerProcess.start(data, dir.resolve("second.log"))) {
            final Set<Long> memories = ConcurrentHashMap.newKeySet();
            for (final Map.Entry<String, Map<String, Object>> e : sent.entrySet()) {
                final TestServer.Reply r =
                        TestServer.retryWhileInProgress(() -> second.post("/v1/learn", key, e.getKey(), e.getValue()));
                assertEquals(200, r.status(), e.getKey() + ": " + r.body());
                final long memoryId = r.json().get("memory_id").asLong();
                memories.add(memoryId);
                final Long original = answered.get(e.getKey());
                if (original != null) {
                    assertEquals(original, memoryId, "a retry of " + e.getKey() + " names its original memory");
                }
            }
            assertEquals(sent.size(), memories.size());
            assertEquals(
                    sent.size(),
                    second.get("/v1/stats", key).json().get("messages").asLong(),
                    "every key stored exactly once (" + answered.size() + " answered before the kill)");
            assertEquals(
                    sent.size(),
                    second.get("/v1/continuity", key).json().get("length").asLong());
        }
    }
}
