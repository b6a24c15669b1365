package ai.continuum.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;

/**
 * No stored vector outlives its memory ({@link SqlVectors}): a vector still queued when its memory is forgotten is
 * not written, nor is one queued after a replace-import deleted its memory and before the engine dropped it, and rows
 * whose memory is gone (left by an earlier version, or by a replace another instance committed) are deleted after the
 * next start. On each backend.
 */
class StoredVectorOrphansTest {
    private static final String TENANT = "acme";
    private static final String MODEL = "model-v1";
    private static final long T0 = 1_700_000_000_000L;

    @OnEachBackend
    void aVectorQueuedBeforeItsMemoryWasForgottenIsNotWritten(final TestDatabase db) {
        try (Storage storage = db.open(StorageSettings.defaults())) {
            learn(storage, 1, "my grandmother turned one hundred");
            learn(storage, 2, "I bought a new guitar");
            // The embedding thread computed both vectors; memory 1 is forgotten before the writer takes them.
            storage.submit(new StorageOp.ForgetMemory(TENANT, 1)).join();
            saveVector(storage, 1);
            saveVector(storage, 2);
            flushSideWrites(storage);
        }
        assertEquals(0, vectorsOf(db, 1), "the forgotten memory's vector refused by its tombstone");
        assertEquals(1, vectorsOf(db, 2), "the live memory's vector written");
    }

    @OnEachBackend
    void aVectorOfAMemoryAReplaceDeletedIsNotWrittenEvenWhenTheDocumentReusesItsId(final TestDatabase db) {
        try (Storage storage = db.open(StorageSettings.defaults())) {
            learn(storage, 1, "my grandmother turned one hundred");
            final ImportOutcome replaced = storage.importState(new ImportJob(
                            TENANT,
                            ImportMode.REPLACE,
                            "document",
                            null,
                            null,
                            visitor -> visitor.delta(Deltas.turn(1, T0 + 1, "the flat flooded", "Ben"))))
                    .join();
            assertTrue(replaced.applied(), String.valueOf(replaced.skipReason()));
            // Computed from the replaced memory's text while the engine still held it, saved after the replace.
            saveVector(storage, 1);
            flushSideWrites(storage);
            assertEquals(0, vectorsOf(db, 1), "the replaced memory's vector is not taken for the imported one");

            storage.vectors().dropped(TENANT); // the engine dropped the replaced memories
            saveVector(storage, 1); // computed from the imported memory's text
            flushSideWrites(storage);
            assertEquals(1, vectorsOf(db, 1), "the imported memory's vector written");
        }
    }

    @OnEachBackend
    void aStartDeletesTheVectorsOfMemoriesThatAreGone(final TestDatabase db) throws SQLException {
        try (Storage storage = db.open(StorageSettings.defaults())) {
            learn(storage, 1, "my grandmother turned one hundred");
            saveVector(storage, 1);
            flushSideWrites(storage);
        }
        // Rows as an earlier version could leave them: of a memory never stored, of a tenant cleared since.
        insertVectorBehindTheStorage(db, TENANT, 99);
        insertVectorBehindTheStorage(db, "globex", 1);
        assertEquals(3, db.scalar("SELECT COUNT(*) FROM memory_vectors"));

        try (Storage storage = db.open(StorageSettings.defaults())) {
            flushSideWrites(storage);
        }
        assertEquals(0, vectorsOf(db, 99), "the vector of a memory never stored is deleted");
        assertEquals(0, db.scalar("SELECT COUNT(*) FROM memory_vectors WHERE tenant_id = 'globex'"));
        assertEquals(1, vectorsOf(db, 1), "the live memory keeps its vector");
    }

    private static void learn(final Storage storage, final long memoryId, final String text) {
        storage.submit(new StorageOp.Apply(TENANT, Deltas.turn(memoryId, T0 + memoryId, text, "Ben")))
                .join();
    }

    private static void saveVector(final Storage storage, final long memoryId) {
        storage.vectors().save(TENANT, memoryId, MODEL, new byte[] {12, -3, 100, 7}, 0.01f);
    }

    /**
     * Commits one more op and waits for it: the writer writes queued side writes (vectors, the start's sweep) in the
     * transaction of its next batch or alone before it, so everything queued before this call is then committed.
     */
    private static void flushSideWrites(final Storage storage) {
        learn(storage, 1_000, "a turn that carries the side writes");
    }

    private static long vectorsOf(final TestDatabase db, final long memoryId) {
        return db.scalar(
                "SELECT COUNT(*) FROM memory_vectors WHERE tenant_id = '" + TENANT + "' AND memory_id = " + memoryId);
    }

    private static void insertVectorBehindTheStorage(final TestDatabase db, final String tenant, final long memoryId)
            throws SQLException {
        db.update(
                "INSERT INTO memory_vectors (tenant_id, memory_id, model, scale, vector) VALUES (?, ?, ?, ?, ?)",
                tenant,
                memoryId,
                MODEL,
                0.01f,
                new byte[] {1, 2, 3, 4});
    }
}
