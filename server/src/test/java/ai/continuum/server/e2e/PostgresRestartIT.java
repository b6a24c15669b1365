package ai.continuum.server.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.server.TestServer;
import ai.continuum.server.cli.ContinuumCli;
import ai.continuum.server.e2e.LearnRecallLoad.Learn;
import ai.continuum.server.e2e.LearnRecallLoad.Phase;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL stopped and started again under a running service with learns and recalls in flight. While it is down,
 * recall keeps answering 200 from the engine, learn answers 503 unless its commit lands within its wait, and {@code
 * /v1/ready} is 503; once it is back, learns succeed again without a restart of the service and ready is 200. The one
 * other answer a learn may get is the one server/API.md gives a commit whose answer was lost with its connection and
 * not recovered within the request's 30 s: 500 {@code outcome_unknown} (seen on a slow CI machine). Every learn
 * acknowledged before, during or after is stored exactly once, as read back through the API and after a restart of
 * the service; a refused or unknown learn retried by its client with its {@code Idempotency-Key}, as the API's safe
 * retry rule says (a 409 {@code idempotency_key_in_progress} retried after its {@code Retry-After}), answers 200 and
 * is stored once. No learned text reaches the service's log.
 *
 * <p>The PostgreSQL is the test's own cluster ({@link PrivatePostgres}), never the shared one other tests use.
 */
class PostgresRestartIT {
    private static final int LEARNERS = 2;
    private static final int ACKS_PER_PHASE = 25;
    private static final int RECALLS_DURING_OUTAGE = 20;
    /**
     * Each wait's bound. Quiet, the whole test takes about 40 s; on a CI machine running other suites beside it one
     * wait took longer than 30 s, so the bound is for a slow machine, not for a slow service.
     */
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private static final Duration POLL_PAUSE = Duration.ofMillis(20);
    private static final int PAGE = 1_000;

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void shouldRideOutAPostgresRestartUnderLoad(@TempDir final Path dir) throws Exception {
        try (PrivatePostgres pg = PrivatePostgres.create(dir.resolve("pg"))) {
            pg.createDatabase("continuum");
            final String url = pg.url("continuum", "connectTimeout=2&socketTimeout=30");
            final Map<String, String> env =
                    Map.of("CONTINUUM_STORAGE_BACKEND", "postgresql", "CONTINUUM_CONNECTION_STRING", url);
            final Path data = dir.resolve("data");
            final List<String> acknowledged = new ArrayList<>();
            final String key;
            final JsonNode stats;
            final JsonNode head;
            try (ServerProcess server = ServerProcess.start(data, dir.resolve("first.log"), env)) {
                key = server.createKey("restart");
                final LearnRecallLoad load = LearnRecallLoad.start(server, key, LEARNERS);
                try {
                    await(() -> load.acknowledged(Phase.BEFORE) >= ACKS_PER_PHASE, "learns before the outage", server);

                    load.enter(Phase.OUTAGE);
                    pg.stop();
                    assertTrue(
                            server.awaitReady(503, DEADLINE),
                            "ready must turn 503 while PostgreSQL is down; log:\n" + ServerProcess.tail(server.log()));
                    await(() -> load.refused() >= 1, "a learn refused with 503 during the outage", server);
                    final long recalls = load.recallsOk();
                    await(
                            () -> load.recallsOk() >= recalls + RECALLS_DURING_OUTAGE,
                            "recalls during the outage",
                            server);
                    assertEquals(503, server.get("/v1/ready", null).status(), "still down");

                    load.enter(Phase.RECOVERED);
                    pg.start();
                    assertTrue(
                            server.awaitReady(200, DEADLINE),
                            "ready must return to 200 once PostgreSQL is back; " + "log:\n"
                                    + ServerProcess.tail(server.log()));
                    await(
                            () -> load.acknowledged(Phase.RECOVERED) >= ACKS_PER_PHASE,
                            "learns after the restart",
                            server);
                } finally {
                    load.close();
                }
                assertTrue(
                        load.recallFailures().isEmpty(),
                        () -> "recall must answer 200 throughout: " + load.recallFailures());
                final List<Learn> learns = load.learns();
                for (final Learn learn : learns) {
                    if (learn.status() == 200) {
                        acknowledged.add(learn.text());
                    } else if (!learn.outcomeUnknown()) {
                        assertEquals(503, learn.status(), learn::toString);
                        DatabaseFaultIT.assertUnavailable(learn.reply());
                    }
                }
                // A client retries what was refused or left unknown, with the same key: had a refused learn been
                // stored, or an unknown one applied twice, its text would now be twice.
                for (final Learn unanswered :
                        learns.stream().filter(l -> l.status() != 200).toList()) {
                    final Learn retry = LearnRecallLoad.retry(server, key, unanswered.text());
                    assertEquals(200, retry.status(), retry::toString);
                    acknowledged.add(retry.text());
                }
                assertStoredExactlyOnce(server, key, acknowledged);
                stats = CrashSafetyIT.comparable(server.get("/v1/stats", key).json());
                head = server.get("/v1/continuity", key).json();
                assertEquals(
                        acknowledged.size(), head.get("length").asLong(), "one op per acknowledged learn: " + head);
            }

            assertFalse(
                    Files.readString(dir.resolve("first.log")).contains("Restart probe"),
                    "no learned text in the log, not even in the errors of batches the restart cut off");

            try (ServerProcess restarted = ServerProcess.start(data, dir.resolve("second.log"), env)) {
                assertStoredExactlyOnce(restarted, key, acknowledged);
                assertEquals(
                        stats,
                        CrashSafetyIT.comparable(restarted.get("/v1/stats", key).json()),
                        "the engine rebuilt from PostgreSQL is the one that served before");
                assertEquals(head, restarted.get("/v1/continuity", key).json());
            }
            final Path config = dir.resolve("verify.yaml");
            Files.writeString(config, "storage:\n  backend: postgresql\n  connection-string: \"" + url + "\"\n");
            assertEquals(
                    0,
                    ContinuumCli.run("verify", "--data-dir", data.toString(), "--config", config.toString()),
                    "the continuity chain is intact after the outage");
        }
    }

    /** Every text in {@code texts} is the user message of exactly one stored memory, and there are no others. */
    private static void assertStoredExactlyOnce(final ServerProcess server, final String key, final List<String> texts)
            throws IOException, InterruptedException {
        final Map<String, Integer> stored = new HashMap<>();
        long total = -1;
        for (int offset = 0; total < 0 || offset < total; offset += PAGE) {
            final TestServer.Reply page = server.get("/v1/memories?limit=" + PAGE + "&offset=" + offset, key);
            assertEquals(200, page.status(), page.body());
            total = page.json().get("total").asLong();
            page.json()
                    .get("memories")
                    .forEach(m -> stored.merge(m.get("user_message").asText(), 1, Integer::sum));
        }
        for (final String text : texts) {
            assertEquals(1, stored.getOrDefault(text, 0), "stored copies of '" + text + "'");
        }
        assertEquals(texts.size(), total, "memories stored besides the acknowledged learns");
    }

    private static void await(final BooleanSupplier condition, final String what, final ServerProcess server) {
        final long end = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                throw new AssertionError(
                        "no " + what + " within " + DEADLINE + "; log:\n" + ServerProcess.tail(server.log()));
            }
            LockSupport.parkNanos(POLL_PAUSE.toNanos());
        }
    }
}
