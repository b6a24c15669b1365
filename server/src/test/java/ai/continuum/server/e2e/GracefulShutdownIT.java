package ai.continuum.server.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.server.TestServer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM with synchronous learns in flight: readiness turns 503 at once while learns are still served for the drain
 * period, then new requests are refused with 503 {@code shutting_down}, the learns inside are answered, the queue is
 * committed and the process exits 0. Every 200 is stored, and nothing answered 503 is: the database after a restart
 * holds exactly the acknowledged learns, so a client retrying its 503s cannot count a turn twice.
 */
class GracefulShutdownIT {
    private static final int CLIENTS = 4;
    private static final int ACKS_BEFORE_TERM = 60;

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void shouldDrainAnswerEveryCommittedLearn200AndExit0(@TempDir final Path dir) throws Exception {
        final Path data = dir.resolve("data");
        final Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
        final AtomicInteger refused = new AtomicInteger();
        final AtomicInteger ackedWhileDraining = new AtomicInteger();
        final AtomicLong drainingSeenAt = new AtomicLong();
        final String key;
        final ServerProcess first =
                ServerProcess.start(data, dir.resolve("first.log"), Map.of("CONTINUUM_SHUTDOWN_DRAIN_SECONDS", "2"));
        try {
            key = first.createKey("drain");
            final CountDownLatch enough = new CountDownLatch(ACKS_BEFORE_TERM);
            try (ExecutorService clients = Executors.newFixedThreadPool(CLIENTS)) {
                final List<Future<?>> running = new ArrayList<>();
                for (int c = 0; c < CLIENTS; c++) {
                    final int client = c;
                    running.add(clients.submit(() -> learnUntilGone(
                            first, key, client, acknowledged, refused, drainingSeenAt, ackedWhileDraining, enough)));
                }
                assertTrue(
                        enough.await(60, TimeUnit.SECONDS),
                        "too few learns acknowledged; log:\n" + ServerProcess.tail(first.log()));
                first.terminate();
                assertTrue(first.awaitReady(503, Duration.ofSeconds(1)), "readiness must turn 503 at once");
                drainingSeenAt.set(System.nanoTime());
                assertEquals(
                        0,
                        first.awaitExit(Duration.ofSeconds(60)),
                        "a graceful shutdown exits 0; log:\n" + ServerProcess.tail(first.log()));
                for (final Future<?> f : running) {
                    f.get(30, TimeUnit.SECONDS);
                }
            }
        } finally {
            first.close();
        }
        assertTrue(ackedWhileDraining.get() > 0, "learns must still be served while readiness reports 503");
        assertTrue(ServerProcess.tail(first.log()).contains("write queue drained"), ServerProcess.tail(first.log()));

        try (ServerProcess second = ServerProcess.start(data, dir.resolve("second.log"))) {
            final long stored =
                    second.get("/v1/stats", key).json().get("messages").asLong();
            assertEquals(
                    acknowledged.size(),
                    stored,
                    "every 200 is stored and no refused learn is (" + refused.get() + " refused)");
            for (final long id : acknowledged) {
                assertEquals(200, second.get("/v1/memories/" + id, key).status(), "acknowledged learn " + id);
            }
        }
    }

    /**
     * Learns until the server is gone. A refusal must be 503 shutting_down (nothing applied); any other answer fails
     * the test.
     */
    private static void learnUntilGone(
            final ServerProcess server,
            final String key,
            final int client,
            final Set<Long> acknowledged,
            final AtomicInteger refused,
            final AtomicLong drainingSeenAt,
            final AtomicInteger ackedWhileDraining,
            final CountDownLatch enough) {
        for (int i = 0; ; i++) {
            final TestServer.Reply reply;
            try {
                reply = server.post(
                        "/v1/learn",
                        key,
                        Map.of(
                                "user_message", "Client" + client + " asks about Harbor Project and Release Train " + i,
                                "ai_response", "I will check Harbor Project milestone " + i + " with Lighthouse Team.",
                                "session_id", "client-" + client));
            } catch (final IOException e) {
                // The listener is gone (refused, or closed as the server stopped): the final count shows that
                // nothing unanswered was applied.
                return;
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (reply.status() == 200) {
                acknowledged.add(reply.json().get("memory_id").asLong());
                if (drainingSeenAt.get() != 0) {
                    ackedWhileDraining.incrementAndGet();
                }
                enough.countDown();
            } else if (reply.status() == 503 && reply.body().contains("shutting_down")) {
                refused.incrementAndGet();
            } else {
                throw new AssertionError("learn answered " + reply.status() + ": " + reply.body());
            }
        }
    }
}
