package ai.continuum.server.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.server.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL of the real service in the middle of a stream of learns: every learn answered 200 is in the database the
 * restarted service rebuilds from, and that rebuild is stable (a second, clean restart reproduces the same counts and
 * the same continuity head).
 */
class CrashSafetyIT {
    private static final int CLIENTS = 4;
    private static final int LEARNS_PER_CLIENT = 400;
    private static final int DURABLE_ACKS_BEFORE_KILL = 120;
    /** SIGKILL is signal 9; a JVM reports a process ended by signal n with exit value 128 + n. */
    private static final int KILLED_BY_SIGKILL = 128 + 9;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void shouldKeepEveryAcknowledgedLearnWhenKilledMidStream(@TempDir final Path dir) throws Exception {
        final Path data = dir.resolve("data");
        final Set<Long> durable = ConcurrentHashMap.newKeySet();
        final Set<Long> async = ConcurrentHashMap.newKeySet();
        final AtomicInteger sent = new AtomicInteger();
        final String key;
        final ServerProcess first = ServerProcess.start(data, dir.resolve("first.log"));
        try {
            key = first.createKey("crash");
            final CountDownLatch enoughAcks = new CountDownLatch(DURABLE_ACKS_BEFORE_KILL);
            try (ExecutorService clients = Executors.newFixedThreadPool(CLIENTS)) {
                final List<Future<?>> running = new ArrayList<>();
                for (int c = 0; c < CLIENTS; c++) {
                    final int client = c;
                    running.add(clients.submit(
                            () -> learnUntilRefused(first, key, client, durable, async, sent, enoughAcks)));
                }
                assertTrue(
                        enoughAcks.await(30, TimeUnit.SECONDS),
                        "too few learns acknowledged; log:\n" + ServerProcess.tail(first.log()));
                final ProcessHandle handle = first.handle();
                assertEquals(KILLED_BY_SIGKILL, first.kill(), "the process must end by SIGKILL, not by a shutdown");
                assertFalse(handle.isAlive(), "the service survived SIGKILL");
                assertFalse(ProcessHandle.of(handle.pid())
                        .map(ProcessHandle::isAlive)
                        .orElse(false));
                for (final Future<?> f : running) {
                    f.get(30, TimeUnit.SECONDS);
                }
            }
            assertTrue(sent.get() < CLIENTS * LEARNS_PER_CLIENT, "the kill must land while learns are in flight");
        } finally {
            first.close();
        }

        final JsonNode stats;
        final JsonNode head;
        try (ServerProcess second = ServerProcess.start(data, dir.resolve("second.log"))) {
            assertEquals(200, second.get("/v1/ready", null).status());
            for (final long id : durable) {
                final TestServer.Reply memory = second.get("/v1/memories/" + id, key);
                assertEquals(200, memory.status(), "acknowledged learn " + id + " lost: " + memory.body());
            }
            assertEachAnswered(second, key, async);
            stats = comparable(second.get("/v1/stats", key).json());
            head = second.get("/v1/continuity", key).json();
            assertTrue(stats.get("messages").asLong() >= durable.size(), stats.toString());
            assertTrue(head.get("length").asLong() >= durable.size(), head.toString());
        }
        try (ServerProcess third = ServerProcess.start(data, dir.resolve("third.log"))) {
            assertEquals(
                    stats,
                    comparable(third.get("/v1/stats", key).json()),
                    "a second rebuild from the same database gives the same engine");
            assertEquals(head, third.get("/v1/continuity", key).json());
        }
    }

    private static void learnUntilRefused(
            final ServerProcess server,
            final String key,
            final int client,
            final Set<Long> durable,
            final Set<Long> async,
            final AtomicInteger sent,
            final CountDownLatch enoughAcks) {
        for (int i = 0; i < LEARNS_PER_CLIENT; i++) {
            final boolean isAsync = i % 4 == 3;
            final TestServer.Reply reply;
            try {
                sent.incrementAndGet();
                reply = server.post(
                        "/v1/learn",
                        key,
                        Map.of(
                                "user_message",
                                "Client" + client + " asks about Harbor Project and Release Train " + (i % 37),
                                "ai_response",
                                "I will check Harbor Project milestone " + i + " with Lighthouse Team.",
                                "session_id",
                                "client-" + client,
                                "async",
                                isAsync));
            } catch (final IOException e) {
                return;
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (reply.status() == 200) {
                durable.add(reply.json().get("memory_id").asLong());
                enoughAcks.countDown();
            } else if (reply.status() == 202) {
                async.add(reply.json().get("memory_id").asLong());
            } else {
                throw new AssertionError("learn answered " + reply.status() + ": " + reply.body());
            }
        }
    }

    /** Async learns (202) carry no durability promise: each is either present or cleanly absent, never an error. */
    private static void assertEachAnswered(final ServerProcess server, final String key, final Set<Long> ids)
            throws IOException, InterruptedException {
        for (final long id : ids) {
            final int status = server.get("/v1/memories/" + id, key).status();
            assertTrue(status == 200 || status == 404, "memory " + id + " answered " + status);
        }
    }

    /** Stats without the fields that name the process or its momentary queue. */
    static JsonNode comparable(final JsonNode stats) {
        final ObjectNode copy = stats.deepCopy();
        copy.remove("instance_id");
        copy.remove("write_queue_depth");
        return copy;
    }
}
