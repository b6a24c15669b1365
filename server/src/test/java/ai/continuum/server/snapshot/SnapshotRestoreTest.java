package ai.continuum.server.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.engine.EngineConfig;
import ai.continuum.engine.MemoryEngine;
import ai.continuum.engine.Turn;
import ai.continuum.engine.testing.DirectPool;
import ai.continuum.server.LogCapture;
import ai.continuum.server.core.ContinuumCore;
import ai.continuum.server.core.EngineSizing;
import ai.continuum.server.metrics.ContinuumMetrics;
import ai.continuum.server.storage.Storage;
import ai.continuum.server.storage.StorageSettings;
import ai.continuum.server.storage.Storages;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A start restores the engine from a usable snapshot and catches up from the change log to exactly the state a
 * rebuild from SQL gives; a missing, corrupt, foreign or outdated snapshot falls back to that rebuild with one log
 * line saying why, never to a wrong engine. On SQLite (the same code serves PostgreSQL; SnapshotRestartIT runs it
 * there).
 */
class SnapshotRestoreTest {
    private static final String[] NAMES = {
        "Billing Service", "Harbor Bridge", "Release Train", "Payment Gateway", "Search Index", "Feature Flag"
    };

    @TempDir
    Path dir;

    private Storage storage;
    private SnapshotStore store;
    private LogCapture log;
    private int turns;

    @BeforeEach
    void open() {
        storage = Storages.open("sqlite", dir.resolve("db"), null, StorageSettings.defaults());
        store = new SnapshotStore(dir.resolve("snapshots"));
        log = LogCapture.of(SnapshotStore.class.getName());
    }

    @AfterEach
    void close() {
        log.close();
        storage.close();
    }

    @Test
    void shouldRestoreAndCatchUpToTheStateARebuildGives() throws IOException {
        try (Instance writer = Instance.start(storage, null)) {
            learn(writer, "acme", 30);
            learn(writer, "globex", 20);
            writer.core.forgetMemory("acme", firstMemory("acme"));
            checkpoint();
            learn(writer, "acme", 10);
            writer.core.forgetConcept("globex", "harbor bridge");
            checkpoint(); // from the previous snapshot and the change log after it
            learn(writer, "acme", 10);
            learn(writer, "initech", 5); // a tenant the snapshot does not know
        }
        try (Instance restored = Instance.start(storage, store)) {
            assertTrue(restored.how.startsWith("restored the engine from snapshot"), restored.how);
            restored.awaitCaughtUp();
            assertEquals(rebuilt(), restored.checksums());
            learn(restored, "acme", 5);
            restored.core.forgetConcept("acme", "release train");
            assertEquals(rebuilt(), restored.checksums(), "and it keeps applying like any engine");
        }
        assertEquals(List.of(), log.atLeast(Level.WARNING));
    }

    @Test
    void shouldRestoreFromTheServingEngineTheStateARebuildGives() throws IOException {
        try (Instance writer = Instance.start(storage, null)) {
            learn(writer, "acme", 30);
            learn(writer, "globex", 20);
            writer.core.forgetMemory("acme", firstMemory("acme"));
            writer.core.forgetConcept("globex", "harbor bridge");
            assertTrue(writer.core
                            .checkpointer(store, 600, Checkpointer.Source.SERVING)
                            .takeNow()
                    > 0);
            final String metrics = writer.metrics.scrape();
            assertTrue(
                    metrics.contains("continuum_snapshot_checkpoint_duration_seconds_count{engine=\"serving\"} 1"),
                    metrics);
            assertTrue(
                    metrics.contains("continuum_snapshot_checkpoint_duration_seconds_count{engine=\"separate\"} 0"),
                    metrics);
            assertTrue(metrics.contains("continuum_snapshot_checkpoint_pause_seconds_count 1"), metrics);
            assertTrue(metrics.contains("continuum_snapshot_checkpoint_failures_total 0"), metrics);
            learn(writer, "acme", 10);
            learn(writer, "initech", 5);
        }
        try (Instance restored = Instance.start(storage, store)) {
            assertTrue(restored.how.startsWith("restored the engine from snapshot"), restored.how);
            restored.awaitCaughtUp();
            assertEquals(rebuilt(), restored.checksums());
        }
        assertEquals(List.of(), log.atLeast(Level.WARNING));
    }

    /**
     * Async writes are applied before their commit: a snapshot of the serving engine taken while one is in it but not
     * at its position would hold it twice after the restore's catch-up. Checkpoints run while async learns stream in.
     */
    @Test
    void shouldWriteTheServingEngineWithoutAsyncWritesAheadOfItsPositions() throws Exception {
        try (Instance writer = Instance.start(storage, null)) {
            learn(writer, "acme", 5);
            final Checkpointer serving = writer.core.checkpointer(store, 600, Checkpointer.Source.SERVING);
            final java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
            final Thread learner = new Thread(() -> {
                while (!done.get()) {
                    learn(writer, "acme", 8, true);
                }
            });
            learner.start();
            try {
                for (int i = 0; i < 8; i++) {
                    assertTrue(serving.takeNow() > 0);
                }
            } finally {
                done.set(true);
                learner.join();
            }
            writer.awaitCommitted();
            try (Instance restored = Instance.start(storage, store)) {
                assertTrue(restored.how.startsWith("restored the engine from snapshot"), restored.how);
                restored.awaitCaughtUp();
                assertEquals(rebuilt(), restored.checksums());
                assertEquals(writer.checksums(), restored.checksums());
            }
        }
    }

    @Test
    void shouldRebuildWhenThereIsNoSnapshot() {
        seed();
        assertRebuiltWithOneLine(null);
    }

    @Test
    void shouldRebuildWhenTheSnapshotIsCorrupt() throws IOException {
        seed();
        checkpoint();
        final long size = Files.size(store.file());
        try (FileChannel ch = FileChannel.open(store.file(), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            final ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, size / 2);
            b.put(0, (byte) (b.get(0) ^ 0x40));
            ch.write(b.rewind(), size / 2);
        }
        assertRebuiltWithOneLine("corrupt: checksum");
    }

    @Test
    void shouldRebuildWhenTheSnapshotIsTruncated() throws IOException {
        seed();
        checkpoint();
        try (FileChannel ch = FileChannel.open(store.file(), StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - 1000);
        }
        assertRebuiltWithOneLine("corrupt");
    }

    @Test
    void shouldRebuildWhenTheSnapshotIsNotOne() throws IOException {
        seed();
        Files.createDirectories(store.file().getParent());
        Files.writeString(store.file(), "a file that happens to have the snapshot's name, and some more bytes");
        assertRebuiltWithOneLine("corrupt: not a Continuum snapshot");
    }

    @Test
    void shouldRebuildWhenTheSnapshotIsOfAnotherFileFormat() throws IOException {
        seed();
        checkpoint();
        overwriteInt(8, SnapshotFile.FORMAT + 1);
        assertRebuiltWithOneLine("outdated: snapshot file format");
    }

    @Test
    void shouldRebuildWhenTheSnapshotHoldsAnotherEngineLayout() throws IOException {
        seed();
        checkpoint();
        overwriteLong(12, MemoryEngine.imageIdentity() + 1);
        assertRebuiltWithOneLine("outdated: written by a build with another engine layout");
    }

    @Test
    void shouldRebuildWhenTheSnapshotIsOfAnotherDatabase() throws IOException {
        seed();
        try (Storage other = Storages.open("sqlite", dir.resolve("other-db"), null, StorageSettings.defaults());
                Instance elsewhere = Instance.start(other, null)) {
            learn(elsewhere, "acme", 5);
            new Checkpointer(store, other, EngineConfig.defaults(), 600, ms -> {}).takeNow();
        }
        assertRebuiltWithOneLine("foreign");
    }

    @Test
    void shouldRebuildWhenAPositionIsBeyondTheDatabasesHead() throws IOException {
        seed();
        final long head = storage.heads().get("acme");
        writeWithPosition(new SnapshotFile.Position(
                "acme", head + 3, storage.continuity("acme").headHex()));
        assertRebuiltWithOneLine("beyond the database's head " + head);
    }

    @Test
    void shouldRebuildWhenTheChainHashAtAPositionDiffers() throws IOException {
        seed();
        final long head = storage.heads().get("acme");
        writeWithPosition(new SnapshotFile.Position("acme", head - 1, "00".repeat(32)));
        assertRebuiltWithOneLine("chain hash at position " + (head - 1));
    }

    /** A snapshot of an engine rebuilt now, recorded at the given position (which the engine does not match). */
    private void writeWithPosition(final SnapshotFile.Position position) throws IOException {
        try (Instance now = Instance.start(storage, null)) {
            store.write(now.engine, List.of(position), storage.identity());
        }
    }

    private void assertRebuiltWithOneLine(final String reason) {
        try (Instance started = Instance.start(storage, store)) {
            assertTrue(started.how.startsWith("loaded"), started.how);
            assertEquals(rebuilt(), started.checksums());
        }
        final List<LogRecord> warnings = log.atLeast(Level.WARNING);
        if (reason == null) {
            assertEquals(List.of(), warnings, "a missing snapshot is reported at INFO");
            return;
        }
        assertEquals(
                1,
                warnings.size(),
                warnings.stream().map(LogRecord::getMessage).toList().toString());
        final String line = warnings.getFirst().getMessage();
        assertTrue(line.contains(reason) && line.contains("rebuilding the engine from the database"), line);
        assertFalse(line.contains("\n"), "one line");
    }

    @Test
    void shouldReturnTheCheckpointEnginesDirectMemoryOnceTheSnapshotIsWritten()
            throws IOException, InterruptedException {
        seed();
        checkpoint(); // the first loads what stays loaded
        final long before = DirectPool.settledBytes();
        // what an engine holding this store holds: the checkpoint's engine is built the same way (its tables and
        // arenas grow with what they hold, so an empty engine would hold next to nothing)
        final MemoryEngine probe = MemoryEngine.create(EngineSizing.forStored(EngineConfig.defaults(), storage));
        try (MemoryEngine.BulkLoad load = probe.bulkLoad()) {
            storage.load(load::apply);
        }
        final long oneEngine = DirectPool.bytes() - before;
        probe.closeAndRelease();
        checkpoint();
        final long after = DirectPool.bytes() - before;
        assertTrue(oneEngine > 4 << 20, "an engine holds direct memory: " + oneEngine);
        // The image's file buffers (about 1 MiB, freed by the collector) may remain; the engine's graph must not.
        assertTrue(after < oneEngine / 2, "left after the checkpoint: " + after + " of " + oneEngine + " bytes");
    }

    @Test
    void shouldSkipADueCheckpointWhileNothingWasCommittedSinceTheSnapshot() throws Exception {
        seed();
        checkpoint();
        final long takenAt = store.usableHeader(storage).orElseThrow().takenAtMillis();
        final java.util.concurrent.atomic.AtomicInteger taken = new java.util.concurrent.atomic.AtomicInteger();
        // Due 1 s after the snapshot: every check from the first (5 s after the start) finds it due.
        try (Checkpointer timer =
                new Checkpointer(store, storage, EngineConfig.defaults(), 1, ms -> taken.incrementAndGet())) {
            timer.start();
            Thread.sleep(7_000);
            assertEquals(0, taken.get(), "nothing committed since the snapshot: no checkpoint");
            assertEquals(takenAt, store.usableHeader(storage).orElseThrow().takenAtMillis());
            try (Instance writer = Instance.start(storage, null)) {
                learn(writer, "acme", 1);
            }
            final long deadline = System.nanoTime() + 30_000_000_000L;
            while (taken.get() == 0) {
                assertTrue(System.nanoTime() < deadline, "a checkpoint within 30 s of a commit");
                Thread.sleep(50);
            }
        }
        assertEquals(
                storage.heads().get("acme"),
                store.usableHeader(storage).orElseThrow().positions().stream()
                        .filter(p -> p.tenant().equals("acme"))
                        .findFirst()
                        .orElseThrow()
                        .seq());
    }

    private void seed() {
        try (Instance writer = Instance.start(storage, null)) {
            learn(writer, "acme", 12);
            learn(writer, "globex", 6);
        }
    }

    private void checkpoint() throws IOException {
        assertTrue(new Checkpointer(store, storage, EngineConfig.defaults(), 600, ms -> {}).takeNow() > 0);
    }

    private void overwriteInt(final long at, final int value) throws IOException {
        try (FileChannel ch = FileChannel.open(store.file(), StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(0, value), at);
        }
    }

    private void overwriteLong(final long at, final long value) throws IOException {
        try (FileChannel ch = FileChannel.open(store.file(), StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(0, value), at);
        }
    }

    private void learn(final Instance instance, final String tenant, final int n) {
        learn(instance, tenant, n, false);
    }

    private void learn(final Instance instance, final String tenant, final int n, final boolean async) {
        final int first = turns;
        turns += n;
        Seeding.concurrently(n, i -> {
            final int t = first + i;
            instance.core.learn(
                    tenant,
                    new Turn(
                            instance.core.nextMemoryId(),
                            "How does the " + NAMES[t % NAMES.length] + " use the " + NAMES[(t / 3) % NAMES.length]
                                    + "?",
                            "The " + NAMES[(t + 1) % NAMES.length] + " calls it. We decided to keep it.",
                            "",
                            "s" + (t % 4),
                            "{}",
                            1_700_000_000_000L + t * 60_000L),
                    async);
        });
    }

    private long firstMemory(final String tenant) {
        return storage.memories(tenant, new Storage.MemoryQuery(null, null, null, null, 0, 1))
                .items()
                .getFirst()
                .id();
    }

    /** Each tenant's checksum of an engine rebuilt from what the database holds now. */
    private SortedMap<String, Long> rebuilt() {
        try (Instance fresh = Instance.start(storage, null)) {
            return fresh.checksums();
        }
    }

    /** An engine and its core over the shared storage, loaded at start as the server loads it. */
    private static final class Instance implements AutoCloseable {
        final MemoryEngine engine = MemoryEngine.create(EngineConfig.defaults());
        final ContinuumMetrics metrics = new ContinuumMetrics();
        final ContinuumCore core;
        final String how;
        final Storage storage;

        private Instance(final Storage storage, final SnapshotStore snapshots) {
            this.storage = storage;
            this.core = new ContinuumCore(engine, storage, metrics);
            this.how = core.load(snapshots);
        }

        static Instance start(final Storage storage, final SnapshotStore snapshots) {
            return new Instance(storage, snapshots);
        }

        /** Waits until every write queued here is committed and applied at its position. */
        void awaitCommitted() {
            final long deadline = System.nanoTime() + 30_000_000_000L;
            while (core.queueDepth() > 0) {
                assertTrue(System.nanoTime() < deadline, "committed within 30 s");
                Thread.onSpinWait();
            }
            storage.heads().forEach((tenant, head) -> assertTrue(core.awaitPosition(tenant, head)));
        }

        void awaitCaughtUp() {
            final long deadline = System.nanoTime() + 30_000_000_000L;
            while (!core.caughtUp()) {
                assertTrue(System.nanoTime() < deadline, "caught up within 30 s");
                Thread.onSpinWait();
            }
        }

        SortedMap<String, Long> checksums() {
            final SortedMap<String, Long> out = new TreeMap<>();
            storage.heads().keySet().forEach(t -> out.put(t, engine.checksum(t)));
            return out;
        }

        @Override
        public void close() {
            core.close();
            engine.close();
        }
    }
}
