package ai.continuum.server.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.engine.EngineConfig;
import ai.continuum.engine.MemoryEngine;
import ai.continuum.engine.RecallResult;
import ai.continuum.engine.Turn;
import ai.continuum.engine.semantic.TextEmbedder;
import ai.continuum.server.core.ContinuumCore;
import ai.continuum.server.metrics.ContinuumMetrics;
import ai.continuum.server.storage.SqliteStorage;
import ai.continuum.server.storage.Storage;
import ai.continuum.server.storage.StorageSettings;
import ai.continuum.server.storage.Storages;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The semantic index's vectors survive a restart: stored in {@code memory_vectors} by the storage writer, taken back
 * at the next start without running the model (counted), carried in the snapshot's vector section to an instance
 * that restores it, and an older snapshot without that section still restores and gets its vectors from storage or,
 * where storage has none, from the model. On SQLite.
 */
class StoredVectorsRestartTest {
    private static final int TURNS = 24;
    private static final long WAIT_MS = 30_000;
    private static final String[] TOPICS = {
        "my grandmother turned one hundred", "the flat flooded when the pipe burst", "I bought a new guitar"
    };

    @TempDir
    Path dir;

    private Storage storage;
    private SnapshotStore store;

    /** Two meanings by word, plus a little of everything; counts every call. */
    private static final class Counting implements TextEmbedder {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public int dimensions() {
            return 4;
        }

        @Override
        public float[] embed(final String text) {
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

    @BeforeEach
    void open() {
        storage = Storages.open("sqlite", dir.resolve("db"), null, StorageSettings.defaults());
        store = new SnapshotStore(dir.resolve("snapshots"));
    }

    @AfterEach
    void close() {
        storage.close();
    }

    @Test
    void aRestartTakesTheStoredVectorsWithoutRunningTheModel() throws Exception {
        seed();
        try (Instance restarted = new Instance(storage, null)) {
            assertTrue(restarted.how.startsWith("loaded"), restarted.how);
            restarted.awaitIndexed();
            assertEquals(0, restarted.model.calls.get(), "no memory embedded again");
            assertFoundByMeaning(restarted);
            assertEquals(1, restarted.model.calls.get(), "the query only");
        }
    }

    @Test
    void aRestoredSnapshotCarriesTheVectors() throws Exception {
        seed();
        checkpoint();
        deleteStoredVectors(); // so whatever the restored instance has came from the snapshot
        try (Instance restored = new Instance(storage, store)) {
            assertTrue(restored.how.startsWith("restored the engine from snapshot"), restored.how);
            restored.awaitIndexed();
            assertEquals(0, restored.model.calls.get(), "every vector from the snapshot's section");
            assertFoundByMeaning(restored);
        }
    }

    @Test
    void aSnapshotWithoutTheVectorSectionRestoresAndTakesTheVectorsFromStorage() throws Exception {
        seed();
        writeSnapshotWithoutVectors();
        try (Instance restored = new Instance(storage, store)) {
            assertTrue(restored.how.startsWith("restored the engine from snapshot"), restored.how);
            restored.awaitIndexed();
            assertEquals(0, restored.model.calls.get(), "looked up in memory_vectors");
            assertFoundByMeaning(restored);
        }
    }

    @Test
    void aSnapshotWithoutTheVectorSectionAndNoStoredVectorsEmbedsWhatIsMissing() throws Exception {
        seed();
        writeSnapshotWithoutVectors();
        deleteStoredVectors();
        try (Instance restored = new Instance(storage, store)) {
            assertTrue(restored.how.startsWith("restored the engine from snapshot"), restored.how);
            restored.awaitIndexed();
            assertEquals(TURNS, restored.model.calls.get(), "each memory embedded once");
            assertFoundByMeaning(restored);
        }
        awaitStored(TURNS); // and stored again
    }

    @Test
    void aForgottenMemoryTakesItsStoredVectorWithIt() throws Exception {
        seed();
        try (Instance instance = new Instance(storage, null)) {
            final long first = storage.memories("acme", new Storage.MemoryQuery(null, null, null, null, 0, 1))
                    .items()
                    .getFirst()
                    .id();
            instance.core.forgetMemory("acme", first);
        }
        assertEquals(TURNS - 1, storedVectors());
    }

    /** Learns {@link #TURNS} turns with the semantic index on and waits until every vector is stored. */
    private void seed() throws Exception {
        try (Instance writer = new Instance(storage, null)) {
            for (int i = 0; i < TURNS; i++) {
                writer.core.learn(
                        "acme",
                        new Turn(
                                writer.core.nextMemoryId(),
                                "Ben: " + TOPICS[i % TOPICS.length] + " (note " + i + ")",
                                "Noted.",
                                "",
                                "s" + i,
                                "{}",
                                1_700_000_000_000L + i * 60_000L),
                        false);
            }
            writer.awaitIndexed();
            assertEquals(TURNS, writer.model.calls.get());
            awaitStored(TURNS);
        }
    }

    /** Waits until the storage writer has stored {@code n} vectors (it writes them when idle, asynchronously). */
    private void awaitStored(final long n) throws InterruptedException {
        final long deadline = System.nanoTime() + WAIT_MS * 1_000_000L;
        while (storedVectors() < n) {
            assertTrue(System.nanoTime() < deadline, "the storage writer stored " + n + " vectors within 30 s");
            Thread.sleep(20);
        }
        assertEquals(n, storedVectors());
    }

    private static void assertFoundByMeaning(final Instance instance) {
        final RecallResult r = instance.core.recall("acme", "How old is granny?", 5, 3, true);
        assertTrue(!r.memories().isEmpty() && r.memories().getFirst().why().semantic() > 0, r.toString());
        assertTrue(r.memories().getFirst().memory().userText().contains("grandmother"), r.toString());
    }

    private void checkpoint() throws IOException {
        assertTrue(new Checkpointer(store, storage, EngineConfig.defaults(), 600, ms -> {}).takeNow() > 0);
    }

    /** A snapshot laid out as before the vector section existed: the header, the engine image, the checksum. */
    private void writeSnapshotWithoutVectors() throws IOException {
        checkpoint();
        final SnapshotFile.Header header;
        try (FileChannel channel = SnapshotFile.openForReading(store.file())) {
            header = SnapshotFile.readHeader(channel);
        }
        try (MemoryEngine engine = MemoryEngine.create(EngineConfig.defaults())) {
            store.restoreInto(engine, storage, "test");
            store.write(engine, header.positions(), storage.identity());
        }
    }

    private long storedVectors() {
        final long[] n = {0};
        storage.readVectors((tenant, memoryId, model, scale, vector) -> n[0]++);
        return n[0];
    }

    private void deleteStoredVectors() throws SQLException {
        try (Connection c = DriverManager.getConnection(
                        "jdbc:sqlite:" + dir.resolve("db").resolve(SqliteStorage.FILE_NAME));
                Statement st = c.createStatement()) {
            st.executeUpdate("DELETE FROM memory_vectors");
        }
        assertEquals(0, storedVectors());
    }

    /** A semantic engine and its core over the shared storage, loaded at start as the server loads it. */
    private static final class Instance implements AutoCloseable {
        final Counting model = new Counting();
        final MemoryEngine engine = MemoryEngine.create(EngineConfig.defaults(), System::currentTimeMillis, model);
        final ContinuumCore core;
        final String how;

        Instance(final Storage storage, final SnapshotStore snapshots) {
            this.core = new ContinuumCore(engine, storage, new ContinuumMetrics());
            this.how = core.load(snapshots);
        }

        void awaitIndexed() throws InterruptedException {
            final long deadline = System.nanoTime() + WAIT_MS * 1_000_000L;
            while (!core.caughtUp()) {
                assertTrue(System.nanoTime() < deadline, "caught up within 30 s");
                Thread.sleep(5);
            }
            assertTrue(core.awaitSemanticIndex(WAIT_MS), "every memory has its vector within 30 s");
        }

        @Override
        public void close() {
            core.close();
            engine.close();
        }
    }
}
