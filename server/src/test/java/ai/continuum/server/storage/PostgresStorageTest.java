package ai.continuum.server.storage;

import ai.continuum.engine.Delta;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The same storage contract on a real PostgreSQL, and the same results as SQLite for the same ops. */
class PostgresStorageTest {
    private static final String A = "tenant-a";
    private static final String B = "tenant-b";

    @TempDir
    Path dir;

    private PostgresSchema schema;
    private Storage storage;

    @BeforeEach
    void open() {
        schema = PostgresSchema.create();
        storage = PostgresStorage.open(schema.url(), StorageSettings.defaults().withLoadChunkRows(4));
    }

    @AfterEach
    void close() throws Exception {
        if (storage != null) {
            storage.close();
        }
        if (schema != null) {
            schema.close();
        }
    }

    @Test
    void shouldStoreMergeAndLoadExactlyWhatSqliteDoes() {
        final List<StorageOp> ops = new ArrayList<>();
        final List<Delta> deltas = new ArrayList<>();
        for (int i = 1; i <= 30; i++) {
            final Delta d = Deltas.turn(i, 100L * i, "turn " + i + " Zürich 🧠", "Concept" + (i % 4),
                "Concept" + (i % 5), "Shared");
            deltas.add(d);
            ops.add(new StorageOp.Apply(i % 3 == 0 ? B : A, d));
        }
        ops.add(new StorageOp.Apply(A, deltas.getFirst()));
        ops.add(new StorageOp.ForgetMemory(A, 2));
        ops.add(new StorageOp.ForgetConcept(A, "concept1"));
        ops.add(new StorageOp.PruneLinks(B, 0.2, 5_000));
        ops.add(new StorageOp.Apply(A, new Delta(List.of(
            new Delta.ConceptDelta("shared", "SHARED", "topic", "", 100)), List.of(), List.of(), List.of(),
            List.of())));

        final List<CompletableFuture<Storage.ContinuityHead>> acks = new ArrayList<>();
        ops.forEach(op -> acks.add(storage.submit(op)));
        acks.forEach(CompletableFuture::join);

        final Map<String, Delta> fromPostgres = Deltas.loaded(storage);
        try (Storage sqlite = SqliteStorage.open(dir, StorageSettings.defaults())) {
            ops.forEach(op -> sqlite.submit(op).join());
            assertEquals(Deltas.loaded(sqlite), fromPostgres);
            assertEquals(sqlite.continuity(A), storage.continuity(A));
            assertEquals(sqlite.continuity(B), storage.continuity(B));
        }
        assertTrue(fromPostgres.get(A).concepts().stream().noneMatch(c -> c.key().equals("concept1")));
    }

    @Test
    void shouldReproduceStateAndUnredactedChainsWhenTheSqliteChangeFeedIsReplayedIntoPostgres() {
        try (Storage sqlite = SqliteStorage.open(dir, StorageSettings.defaults())) {
            for (int i = 1; i <= 40; i++) {
                final String tenant = i % 2 == 0 ? A : B;
                sqlite.submit(new StorageOp.Apply(tenant, Deltas.turn(i, i, "t" + i, "Alpha", "B" + i % 3)));
            }
            sqlite.submit(new StorageOp.ForgetConcept(A, "b1"));
            sqlite.submit(new StorageOp.ForgetMemory(B, 3)).join();

            for (final String tenant : sqlite.tenants()) {
                long after = 0;
                List<Storage.Change> page;
                while (!(page = sqlite.changes(tenant, after, 7)).isEmpty()) {
                    for (final Storage.Change change : page) {
                        storage.submit(change.op()).join();
                        after = change.seq();
                    }
                }
                assertTrue(storage.verifyContinuity(tenant).intact());
            }
            assertEquals(List.of(A, B), storage.tenants());
            assertEquals(Deltas.loaded(sqlite), Deltas.loaded(storage));
            assertEquals(sqlite.continuity(A), storage.continuity(A), "an unredacted history keeps its chain");
            assertEquals(sqlite.continuity(B).length(), storage.continuity(B).length());
            assertNotEquals(sqlite.continuity(B).headHex(), storage.continuity(B).headHex(),
                "the op whose memory B forgot replays redacted, so B's chain is a new one");
        }
    }

    @Test
    void shouldKeepOneLinearChainWhenTwoProcessesWriteTheSameTenant() {
        final List<CompletableFuture<Storage.ContinuityHead>> acks = new ArrayList<>();
        try (Storage other = PostgresStorage.open(schema.url(), StorageSettings.defaults())) {
            for (int i = 1; i <= 200; i++) {
                final Storage target = i % 2 == 0 ? storage : other;
                acks.add(target.submit(new StorageOp.Apply(A, Deltas.turn(i, i, "turn " + i, "Alpha", "Beta"))));
            }
            acks.forEach(CompletableFuture::join);
        }
        final Storage.ContinuityCheck check = storage.verifyContinuity(A);
        assertTrue(check.intact(), () -> check.toString());
        assertEquals(200, check.head().length());
        assertEquals(200, Deltas.loaded(storage).get(A).links().getFirst().count());
    }

    @Test
    void shouldFailOnlyTheOpTheDatabaseRejectsAndCommitTheRestOfItsBatch() throws Exception {
        final SqlStorage manual = PostgresStorage.create(schema.url(), StorageSettings.defaults(),
            new org.agrona.concurrent.CachedEpochClock());
        try {
            final CompletableFuture<Storage.ContinuityHead> good = manual.submit(new StorageOp.Apply(A, memory(1, 1,
                "fine")));
            // PostgreSQL text cannot hold NUL; SQLite can, so this is a PostgreSQL-only rejection.
            final CompletableFuture<Storage.ContinuityHead> bad = manual.submit(new StorageOp.Apply(A, memory(2, 2,
                "nul \u0000 inside")));
            final CompletableFuture<Storage.ContinuityHead> alsoGood = manual.submit(new StorageOp.Apply(A,
                memory(3, 3, "fine too")));
            manual.writer().doWork();

            assertEquals(1, good.get().length());
            final java.util.concurrent.ExecutionException e =
                org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.ExecutionException.class, bad::get);
            assertTrue(e.getCause() instanceof StorageUnavailableException, e.toString());
            assertTrue(!e.getCause().getMessage().contains("inside"), "user text stays out of error messages");
            assertEquals(2, alsoGood.get().length(), "the rejected op took no place in the chain");
            assertTrue(manual.isReachable(), "a rejected op is not a database outage");
            assertEquals(List.of(3L, 1L), ids(manual.memories(A, query(null))));
            assertTrue(manual.verifyContinuity(A).intact());
        } finally {
            manual.close();
        }
    }

    @Test
    void shouldKeepAcknowledgedOpsAcrossReopen() {
        storage.submit(new StorageOp.Apply(A, Deltas.turn(1, 10, "one", "Alpha", "Beta"))).join();
        final Storage.ContinuityHead head = storage.continuity(A);
        storage.close();
        storage = PostgresStorage.open(schema.url(), StorageSettings.defaults());
        assertEquals(head, storage.continuity(A));
        assertEquals("one", storage.memory(A, 1).orElseThrow().userText());
        assertTrue(storage.isReachable());
    }

    @Test
    void shouldSearchMemoriesLiterallyAndPerTenant() {
        storage.submit(new StorageOp.Apply(A, memory(1, 1_000, "50% of budget_total"))).join();
        storage.submit(new StorageOp.Apply(A, memory(2, 2_000, "Grüße aus ZÜRICH"))).join();
        storage.submit(new StorageOp.Apply(B, memory(3, 3_000, "zürich for b"))).join();
        assertEquals(List.of(2L), ids(storage.memories(A, query("zürich"))));
        assertEquals(List.of(1L), ids(storage.memories(A, query("50%"))));
        assertEquals(List.of(), ids(storage.memories(A, query("budget%total"))));
        assertEquals(List.of(), ids(storage.memories(A, query("' OR '1'='1"))));
        assertEquals(List.of(2L, 1L), ids(storage.memories(A, query(null))));
        assertEquals(2, storage.memories(A, query(null)).total());
    }

    @Test
    void shouldManageApiKeys() {
        final ApiKeys keys = storage.apiKeys();
        final ApiKeys.StoredKey k = new ApiKeys.StoredKey("k1", A, "ci", "s:h", false, Instant.ofEpochMilli(5),
            null, null);
        keys.insert(k);
        assertEquals(k, keys.find("k1").orElseThrow());
        keys.touch("k1", Instant.ofEpochMilli(50));
        assertTrue(keys.revoke("k1", Instant.ofEpochMilli(60)));
        storage.close();
        storage = PostgresStorage.open(schema.url(), StorageSettings.defaults());
        final ApiKeys.StoredKey after = storage.apiKeys().find("k1").orElseThrow();
        assertEquals(Instant.ofEpochMilli(50), after.lastUsedAt());
        assertEquals(Instant.ofEpochMilli(60), after.revokedAt());
    }

    private static Storage.MemoryQuery query(final String text) {
        return new Storage.MemoryQuery(text, null, null, null, 0, 10);
    }

    private static List<Long> ids(final Storage.Page<Storage.StoredMemory> page) {
        return page.items().stream().map(Storage.StoredMemory::id).toList();
    }

    private static Delta memory(final long id, final long at, final String text) {
        return new Delta(List.of(), List.of(), List.of(),
            List.of(new Delta.MemoryDelta(id, "s", text, "", "", "{}", at, List.of())), List.of());
    }
}
