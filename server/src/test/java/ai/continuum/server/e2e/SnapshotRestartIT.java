package ai.continuum.server.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.engine.MemoryEngine;
import ai.continuum.server.ContinuumServer;
import ai.continuum.server.LogCapture;
import ai.continuum.server.TestServer;
import ai.continuum.server.config.ConfigKey;
import ai.continuum.server.fleet.FleetDatabase;
import ai.continuum.server.snapshot.SnapshotStore;
import ai.continuum.server.storage.Storage;
import ai.continuum.server.storage.StorageSettings;
import ai.continuum.server.storage.Storages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL of a real service process in the middle of a stream of learns, after it took snapshots in the background;
 * restarted, it loads its latest snapshot, catches up from the change log with the ops committed after it (by itself
 * before the kill, and by another instance after), and holds exactly the engine a fresh rebuild from SQL gives, tenant
 * by tenant. On PostgreSQL with a second instance writing throughout, and on SQLite alone.
 */
class SnapshotRestartIT {
    private static final String[] NAMES = {
        "Billing Service", "Harbor Bridge", "Release Train", "Payment Gateway", "Search Index", "Feature Flag"
    };

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void shouldRestartFromTheSnapshotAndCatchUpOnPostgresql() throws Exception {
        try (FleetDatabase db = FleetDatabase.create()) {
            final Path snapshots = dir.resolve("shared-snapshots");
            final Map<String, String> childEnv = Map.of(
                    "CONTINUUM_STORAGE_BACKEND",
                    "postgresql",
                    "CONTINUUM_CONNECTION_STRING",
                    db.url(),
                    "CONTINUUM_SNAPSHOT_DIR",
                    snapshots.toString(),
                    "CONTINUUM_SNAPSHOT_INTERVAL_SECONDS",
                    "2");
            final Map<ConfigKey, String> inProcess = new EnumMap<>(ConfigKey.class);
            inProcess.put(ConfigKey.STORAGE_BACKEND, "postgresql");
            inProcess.put(ConfigKey.CONNECTION_STRING, db.url());
            inProcess.put(ConfigKey.SNAPSHOT_DIR, snapshots.toString());
            try (TestServer other = TestServer.start(dir.resolve("other"), inProcess)) {
                final List<String> keys = List.of(other.createKey("snap-a"), other.createKey("snap-b"));
                final ServerProcess victim =
                        ServerProcess.start(dir.resolve("victim"), dir.resolve("victim.log"), childEnv);
                streamThenKill(victim, other, keys, snapshots.resolve(SnapshotStore.FILE_NAME));
                final SortedMap<String, Long> restarted =
                        restartAndChecksum(dir.resolve("victim-again"), inProcess, other);
                assertEquals(rebuiltFromSql("postgresql", null, db.url()), restarted);
            }
        }
    }

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void shouldRestartFromTheSnapshotAndCatchUpOnSqlite() throws Exception {
        final Path data = dir.resolve("sqlite");
        final ServerProcess victim = ServerProcess.start(
                data, dir.resolve("victim.log"), Map.of("CONTINUUM_SNAPSHOT_INTERVAL_SECONDS", "2"));
        final List<String> keys = List.of(createKey(victim, "snap-a"), createKey(victim, "snap-b"));
        streamThenKill(victim, null, keys, data.resolve("snapshots").resolve(SnapshotStore.FILE_NAME));
        final SortedMap<String, Long> restarted = restartAndChecksum(data, new EnumMap<>(ConfigKey.class), null);
        assertEquals(rebuiltFromSql("sqlite", data, null), restarted);
    }

    /**
     * Learns (and forgets) through the victim, and through {@code other} when given, until the victim wrote a
     * snapshot and kept learning after it; then SIGKILL while learns are in flight, and more learns through
     * {@code other} afterwards (the restart must catch up with them too).
     */
    private static void streamThenKill(
            final ServerProcess victim, final TestServer other, final List<String> keys, final Path snapshot)
            throws Exception {
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicBoolean victimGone = new AtomicBoolean();
        final AtomicInteger acknowledged = new AtomicInteger();
        final ConcurrentLinkedQueue<long[]> learned = new ConcurrentLinkedQueue<>();
        final ExecutorService clients = Executors.newFixedThreadPool(3);
        final List<Future<?>> running = new ArrayList<>();
        try {
            for (int c = 0; c < 3; c++) {
                final int client = c;
                running.add(clients.submit(() -> {
                    for (int i = 0; !stop.get(); i++) {
                        final int k = (client + i) % keys.size();
                        final boolean viaVictim = other == null || (i % 2 == 0 && !victimGone.get());
                        if (!viaVictim && other == null) {
                            return null;
                        }
                        final TestServer.Reply reply;
                        if (i % 9 == 8 && !learned.isEmpty()) {
                            final long[] gone = learned.poll();
                            if (gone == null || other == null) {
                                continue;
                            }
                            other.delete("/v1/memories/" + gone[1], keys.get((int) gone[0]));
                            continue;
                        }
                        final Map<String, Object> body = Map.of(
                                "user_message",
                                "Client" + client + " asks how the " + NAMES[i % NAMES.length] + " uses the "
                                        + NAMES[(i / 3 + client) % NAMES.length] + "?",
                                "ai_response",
                                "The " + NAMES[(i + 1) % NAMES.length] + " calls it; we decided to keep it.",
                                "session_id",
                                "client-" + client);
                        try {
                            reply = viaVictim
                                    ? victim.post("/v1/learn", keys.get(k), body)
                                    : other.post("/v1/learn", keys.get(k), body);
                        } catch (final IOException e) {
                            if (!victimGone.get()) {
                                throw e;
                            }
                            continue; // the victim died under this request
                        }
                        if (reply.status() == 200) {
                            acknowledged.incrementAndGet();
                            learned.add(
                                    new long[] {k, reply.json().get("memory_id").asLong()});
                        } else if (!victimGone.get()) {
                            throw new AssertionError("learn answered " + reply.status() + ": " + reply.body());
                        }
                    }
                    return null;
                }));
            }
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (!Files.exists(snapshot)) {
                assertTrue(
                        System.nanoTime() < deadline,
                        "no snapshot within 90 s; log:\n" + ServerProcess.tail(victim.log()));
                Thread.sleep(100);
            }
            final int atSnapshot = acknowledged.get();
            while (acknowledged.get() < atSnapshot + 40) {
                assertTrue(System.nanoTime() < deadline, "learns stalled; log:\n" + ServerProcess.tail(victim.log()));
                Thread.sleep(20);
            }
            victimGone.set(true);
            assertEquals(128 + 9, victim.kill(), "ended by SIGKILL");
            Thread.sleep(other == null ? 0 : 1_500); // the other instance keeps writing
        } finally {
            stop.set(true);
            for (final Future<?> f : running) {
                f.get(60, TimeUnit.SECONDS);
            }
            clients.shutdown();
            victim.close();
        }
    }

    /**
     * Restarts the killed instance in this process, asserts it restored from the snapshot, waits until it caught up
     * (and the other instance too), and returns its engine's checksum per tenant.
     */
    private static SortedMap<String, Long> restartAndChecksum(
            final Path dataDir, final Map<ConfigKey, String> overrides, final TestServer other) throws Exception {
        final SortedMap<String, Long> out = new TreeMap<>();
        try (LogCapture log = LogCapture.of(ContinuumServer.class.getName());
                TestServer restarted = TestServer.start(dataDir, overrides)) {
            final List<String> lines = log.messages();
            assertTrue(
                    lines.stream().anyMatch(l -> l != null && l.startsWith("restored the engine from snapshot")),
                    lines.toString());
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!restarted.server().core().ready()
                    || (other != null && other.server().core().lagOps() > 0)) {
                assertTrue(System.nanoTime() < deadline, "not caught up within 60 s");
                Thread.sleep(20);
            }
            final MemoryEngine engine = restarted.server().engine();
            for (final String tenant : List.of("snap-a", "snap-b")) {
                out.put(tenant, engine.checksum(tenant));
            }
        }
        return out;
    }

    /** Each test tenant's checksum of an engine rebuilt from what the database holds now. */
    private static SortedMap<String, Long> rebuiltFromSql(final String backend, final Path dataDir, final String url) {
        try (Storage storage = Storages.open(backend, dataDir, url, StorageSettings.defaults());
                MemoryEngine fresh = MemoryEngine.create(ai.continuum.engine.EngineConfig.defaults())) {
            try (MemoryEngine.BulkLoad load = fresh.bulkLoad()) {
                storage.load(load::apply);
            }
            storage.loadForgottenMemories(fresh::forgetMemory);
            final SortedMap<String, Long> out = new TreeMap<>();
            for (final String tenant : List.of("snap-a", "snap-b")) {
                out.put(tenant, fresh.checksum(tenant));
            }
            return out;
        }
    }

    private static String createKey(final ServerProcess server, final String tenant) throws Exception {
        final TestServer.Reply minted = server.post(
                "/v1/keys", ServerProcess.ADMIN_KEY, Map.of("tenant_id", tenant, "name", "snapshot-restart"));
        assertEquals(201, minted.status(), minted.body());
        return minted.json().get("api_key").asText();
    }
}
