package ai.continuum.server.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.engine.Delta;
import ai.continuum.engine.EngineConfig;
import ai.continuum.engine.MemoryEngine;
import ai.continuum.engine.RecallResult;
import ai.continuum.engine.Turn;
import ai.continuum.engine.semantic.TextEmbedder;
import ai.continuum.server.core.ContinuumCore;
import ai.continuum.server.metrics.ContinuumMetrics;
import ai.continuum.server.storage.ImportJob;
import ai.continuum.server.storage.ImportMode;
import ai.continuum.server.storage.ImportOutcome;
import ai.continuum.server.storage.OnEachBackend;
import ai.continuum.server.storage.Storage;
import ai.continuum.server.storage.StorageOp;
import ai.continuum.server.storage.StorageSettings;
import ai.continuum.server.storage.TestDatabase;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;

/**
 * The semantic index's vectors survive a restart: stored in {@code memory_vectors} by the storage writer, taken back
 * at the next start without running the model (counted), carried in the snapshot's vector section to an instance
 * that restores it, and an older snapshot without that section still restores and gets its vectors from storage or,
 * where storage has none, from the model. A forgotten memory, a replace-import and a tenant emptied by one take their
 * vectors with them, also those the model was computing while the replace ran. On each backend.
 */
class StoredVectorsRestartTest {
    private static final String TENANT = "acme";
    private static final int TURNS = 24;
    private static final long WAIT_MS = 30_000;
    private static final String[] TOPICS = {
        "my grandmother turned one hundred", "the flat flooded when the pipe burst", "I bought a new guitar"
    };
    private static final String LOADED = "loaded";
    private static final String RESTORED = "restored the engine from snapshot";

    @TempDir
    Path dir;

    /**
     * Two meanings by word, plus a little of everything; counts every call. Built held, it keeps the embedding thread
     * inside its first call until released.
     */
    private static final class Counting implements TextEmbedder {
        final AtomicInteger calls = new AtomicInteger();
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release;

        Counting(final boolean held) {
            this.release = new CountDownLatch(held ? 1 : 0);
        }

        @Override
        public int dimensions() {
            return 4;
        }

        @Override
        public float[] embed(final String text) {
            entered.countDown();
            try {
                assertTrue(release.await(WAIT_MS, TimeUnit.MILLISECONDS), "released within 30 s");
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            calls.incrementAndGet();
            final String t = text.toLowerCase(Locale.ROOT);
            return new float[] {
                t.contains("grandmother") || t.contains("granny") ? 1f : 0f,
                t.contains("flooded") || t.contains("water") ? 1f : 0f,
                t.contains("guitar") ? 1f : 0f,
                0.05f
            };
        }

        @Override
        public String name() {
            return "counting-v1";
        }
    }

    @OnEachBackend
    void aRestartTakesTheStoredVectorsWithoutRunningTheModel(final TestDatabase db) throws Exception {
        try (Storage storage = seeded(db)) {
            started(storage, null, LOADED, 0, "no memory embedded again").close();
        }
    }

    @OnEachBackend
    void aRestoredSnapshotCarriesTheVectors(final TestDatabase db) throws Exception {
        try (Storage storage = seeded(db)) {
            final SnapshotStore store = checkpoint(storage);
            deleteStoredVectors(db); // so whatever the restored instance has came from the snapshot
            started(storage, store, RESTORED, 0, "every vector from the snapshot's section")
                    .close();
        }
    }

    @OnEachBackend
    void aSnapshotWithoutTheVectorSectionRestoresAndTakesTheVectorsFromStorage(final TestDatabase db) throws Exception {
        try (Storage storage = seeded(db)) {
            final SnapshotStore store = snapshotWithoutVectors(storage);
            started(storage, store, RESTORED, 0, "looked up in memory_vectors").close();
        }
    }

    @OnEachBackend
    void aSnapshotWithoutTheVectorSectionAndNoStoredVectorsEmbedsWhatIsMissing(final TestDatabase db) throws Exception {
        try (Storage storage = seeded(db)) {
            final SnapshotStore store = snapshotWithoutVectors(storage);
            deleteStoredVectors(db);
            started(storage, store, RESTORED, TURNS, "each memory embedded once")
                    .close();
            awaitStored(db, TURNS); // and stored again
        }
    }

    @OnEachBackend
    void aForgottenMemoryTakesItsStoredVectorWithIt(final TestDatabase db) throws Exception {
        try (Storage storage = seeded(db)) {
            try (Instance instance = started(storage, null, LOADED, 0, "nothing embedded at start")) {
                final long first = storage.memories(TENANT, new Storage.MemoryQuery(null, null, null, null, 0, 1))
                        .items()
                        .getFirst()
                        .id();
                assertTrue(instance.core.forgetMemory(TENANT, first));
            }
            assertEquals(TURNS - 1, storedVectors(db));
            started(storage, null, LOADED, 0, "the others' vectors taken from storage")
                    .close();
        }
    }

    @OnEachBackend
    void aReplaceImportDeletesTheTenantsVectorsAndTheImportedMemoriesAreEmbeddedOnce(final TestDatabase db)
            throws Exception {
        try (Storage storage = seeded(db)) {
            try (Instance instance = started(storage, null, LOADED, 0, "nothing embedded at start")) {
                final Turn turn = turn(instance.core.nextMemoryId(), 0);
                final Delta imported = instance.engine.prepare(turn);
                final int before = instance.model.calls.get();
                replace(instance, visitor -> visitor.delta(imported));
                assertTrue(instance.core.awaitSemanticIndex(WAIT_MS), "the imported memory embedded within 30 s");
                assertEquals(before + 1, instance.model.calls.get(), "the imported memory, once");
                awaitStored(db, 1);
            }
            started(storage, null, LOADED, 0, "the imported memory's vector taken from storage")
                    .close();
        }
    }

    @OnEachBackend
    void aReplaceImportIntoATenantNewHereStoresTheImportedMemorysVector(final TestDatabase db) throws Exception {
        try (Storage storage = seeded(db);
                Instance instance = started(storage, null, LOADED, 0, "nothing embedded at start")) {
            final Delta imported = instance.engine.prepare(turn(instance.core.nextMemoryId(), 1));
            final ImportOutcome outcome = instance.core.importState(new ImportJob(
                    "globex", ImportMode.REPLACE, "replace-new", null, null, visitor -> visitor.delta(imported)));
            assertTrue(outcome.applied(), String.valueOf(outcome.skipReason()));
            assertTrue(instance.core.awaitSemanticIndex(WAIT_MS), "the imported memory embedded within 30 s");
            flushVectors(storage);
            assertEquals(1, db.scalar("SELECT COUNT(*) FROM memory_vectors WHERE tenant_id = 'globex'"));
        }
    }

    @OnEachBackend
    void aTenantEmptiedByAReplaceImportLeavesNoVectors(final TestDatabase db) throws Exception {
        try (Storage storage = seeded(db);
                Instance instance = new Instance(storage, null)) {
            // While the index may still be taking the stored vectors back, or running the model on memories whose
            // vectors the replace deleted first.
            replace(instance, visitor -> {});
            assertEquals(0, storedVectors(db));
            instance.awaitIndexed();
            flushVectors(storage);
            assertEquals(0, storedVectors(db));
        }
    }

    /**
     * The model runs on the tenant's memories (their stored vectors were lost) and finishes after the replace
     * committed but before the engine dropped them: the vectors it computed are of deleted memories, never stored.
     */
    @OnEachBackend
    void vectorsComputedWhileAReplaceDeletesTheirMemoriesAreNotStored(final TestDatabase db) throws Exception {
        try (Storage storage = seeded(db)) {
            deleteStoredVectors(db);
            try (Instance instance = new Instance(storage, null, true)) {
                instance.awaitCaughtUp();
                assertTrue(instance.model.entered.await(WAIT_MS, TimeUnit.MILLISECONDS), "the model runs");
                final CompletableFuture<Void> replacing;
                // Holding the engine's writer keeps the replace from reaching the engine once it committed.
                try (MemoryEngine.BulkLoad held = instance.engine.bulkLoad()) {
                    replacing = CompletableFuture.runAsync(() -> replace(instance, visitor -> {}));
                    final long deadline = System.nanoTime() + WAIT_MS * 1_000_000L;
                    while (db.scalar("SELECT COUNT(*) FROM messages") > 0) {
                        assertTrue(System.nanoTime() < deadline, "the replace committed within 30 s");
                        Thread.sleep(5);
                    }
                    instance.model.release.countDown();
                    assertTrue(instance.core.awaitSemanticIndex(WAIT_MS), "every memory embedded within 30 s");
                    assertEquals(TURNS, instance.model.calls.get(), "each memory was live in the engine");
                    flushVectors(storage);
                    assertEquals(0, storedVectors(db), "no vector of a memory the replace deleted");
                }
                replacing.get(WAIT_MS, TimeUnit.MILLISECONDS);
                instance.awaitIndexed();
                flushVectors(storage);
                assertEquals(0, storedVectors(db));
            }
        }
    }

    /**
     * Opens the storage and learns {@link #TURNS} turns into it with the semantic index on, waiting until every vector
     * is stored.
     */
    private static Storage seeded(final TestDatabase db) throws Exception {
        final Storage storage = db.open(StorageSettings.defaults());
        try (Instance writer = new Instance(storage, null)) {
            Seeding.concurrently(TURNS, i -> writer.core.learn(TENANT, turn(writer.core.nextMemoryId(), i), false));
            writer.awaitIndexed();
            assertEquals(TURNS, writer.model.calls.get());
            awaitStored(db, TURNS);
        } catch (final Exception | AssertionError e) {
            storage.close();
            throw e;
        }
        return storage;
    }

    private static Turn turn(final long memoryId, final int i) {
        return new Turn(
                memoryId,
                "Ben: " + TOPICS[i % TOPICS.length] + " (note " + i + ")",
                "Noted.",
                "",
                "s" + i,
                "{}",
                1_700_000_000_000L + i * 60_000L);
    }

    /**
     * Starts an instance over {@code storage} (restoring from {@code snapshots} when not null), checks how it started
     * and that it ran the model {@code embedded} times until every memory had its vector, and that recall finds by
     * meaning. The caller closes it.
     */
    private static Instance started(
            final Storage storage,
            final SnapshotStore snapshots,
            final String how,
            final int embedded,
            final String why)
            throws InterruptedException {
        final Instance instance = new Instance(storage, snapshots);
        try {
            assertTrue(instance.how.startsWith(how), instance.how);
            instance.awaitIndexed();
            assertEquals(embedded, instance.model.calls.get(), why);
            final RecallResult r = instance.core.recall(TENANT, "How old is granny?", 5, 3, true);
            assertTrue(!r.memories().isEmpty() && r.memories().getFirst().why().semantic() > 0, r.toString());
            assertTrue(r.memories().getFirst().memory().userText().contains("grandmother"), r.toString());
            assertEquals(embedded + 1, instance.model.calls.get(), "and the query");
            return instance;
        } catch (final InterruptedException | RuntimeException | AssertionError e) {
            instance.close();
            throw e;
        }
    }

    /** Replaces the tenant's content with what {@code source} replays, through the core as the API does. */
    private static void replace(final Instance instance, final ImportJob.Source source) {
        final ImportOutcome outcome = instance.core.importState(
                new ImportJob(TENANT, ImportMode.REPLACE, "replace-" + System.nanoTime(), null, null, source));
        assertTrue(outcome.applied(), String.valueOf(outcome.skipReason()));
    }

    /** Waits until the storage writer has stored {@code n} vectors (it writes them when idle, asynchronously). */
    private static void awaitStored(final TestDatabase db, final long n) throws InterruptedException {
        final long deadline = System.nanoTime() + WAIT_MS * 1_000_000L;
        while (storedVectors(db) < n) {
            assertTrue(System.nanoTime() < deadline, "the storage writer stored " + n + " vectors within 30 s");
            Thread.sleep(20);
        }
        assertEquals(n, storedVectors(db));
    }

    /**
     * Returns once the storage writer has taken every vector queued before the call: it writes them in the
     * transaction of its next batch at the latest, and this commits one (to a tenant of its own).
     */
    private static void flushVectors(final Storage storage) throws Exception {
        final Turn turn = new Turn(System.nanoTime(), "Flush.", "", "", "flush", "{}", 1_700_000_000_000L);
        try (MemoryEngine engine = MemoryEngine.create(EngineConfig.defaults())) {
            storage.submit(new StorageOp.Apply("flush", engine.prepare(turn))).get(WAIT_MS, TimeUnit.MILLISECONDS);
        }
    }

    private SnapshotStore checkpoint(final Storage storage) throws IOException {
        final SnapshotStore store = new SnapshotStore(dir.resolve("snapshots"));
        assertTrue(new Checkpointer(store, storage, EngineConfig.defaults(), 600, ms -> {}).takeNow() > 0);
        return store;
    }

    /** A snapshot laid out as before the vector section existed: the header, the engine image, the checksum. */
    private SnapshotStore snapshotWithoutVectors(final Storage storage) throws IOException {
        final SnapshotStore store = checkpoint(storage);
        final SnapshotFile.Header header;
        try (FileChannel channel = SnapshotFile.openForReading(store.file())) {
            header = SnapshotFile.readHeader(channel);
        }
        try (MemoryEngine engine = MemoryEngine.create(EngineConfig.defaults())) {
            store.restoreInto(engine, storage, "test");
            store.write(engine, header.positions(), storage.identity());
        }
        return store;
    }

    /** The stored vectors of {@link #TENANT}. */
    private static long storedVectors(final TestDatabase db) {
        return db.scalar("SELECT COUNT(*) FROM memory_vectors WHERE tenant_id = '" + TENANT + "'");
    }

    private static void deleteStoredVectors(final TestDatabase db) throws SQLException {
        db.execute("DELETE FROM memory_vectors");
        assertEquals(0, storedVectors(db));
    }

    /** A semantic engine and its core over the shared storage, loaded at start as the server loads it. */
    private static final class Instance implements AutoCloseable {
        final Counting model;
        final MemoryEngine engine;
        final ContinuumCore core;
        final String how;

        Instance(final Storage storage, final SnapshotStore snapshots) {
            this(storage, snapshots, false);
        }

        /** With {@code held}, the model keeps the embedding thread in its first call until released. */
        Instance(final Storage storage, final SnapshotStore snapshots, final boolean held) {
            this.model = new Counting(held);
            this.engine = MemoryEngine.create(EngineConfig.defaults(), System::currentTimeMillis, model);
            this.core = new ContinuumCore(engine, storage, new ContinuumMetrics());
            this.how = core.load(snapshots);
        }

        void awaitCaughtUp() throws InterruptedException {
            final long deadline = System.nanoTime() + WAIT_MS * 1_000_000L;
            while (!core.caughtUp()) {
                assertTrue(System.nanoTime() < deadline, "caught up within 30 s");
                Thread.sleep(5);
            }
        }

        void awaitIndexed() throws InterruptedException {
            awaitCaughtUp();
            assertTrue(core.awaitSemanticIndex(WAIT_MS), "every memory has its vector within 30 s");
        }

        @Override
        public void close() {
            core.close();
            engine.close();
        }
    }
}
