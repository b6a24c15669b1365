package ai.continuum.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.engine.ConceptKeys;
import ai.continuum.engine.Delta;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What only PostgreSQL has: the same results as SQLite for the same ops (a SQLite change feed replays into it), several
 * writer processes, the derived JSONB and full-text columns of the V2 migration and the indexes they are queried
 * through, and the libpq URI form of the connection string. The shared contract runs on both backends elsewhere
 * ({@link SqlStorageTest} and the other storage tests).
 */
class PostgresStorageTest {
    private static final String A = "tenant-a";
    private static final String B = "tenant-b";

    @TempDir
    Path dir;

    /** A schema already at the current schema version: these tests are of what a store does, not of migrating. */
    private TestDatabase db;

    private PostgresSchema schema;
    private Storage storage;
    /** The SQLite databases a test compared with, deleted after it. */
    private final List<TestDatabase> sqlites = new ArrayList<>();

    @BeforeEach
    void open() {
        db = TestDatabase.createMigrated(TestDatabase.Backend.POSTGRESQL);
        schema = db.schema();
        storage = PostgresStorage.open(schema.url(), StorageSettings.defaults().withLoadChunkRows(4));
    }

    @AfterEach
    void close() throws Exception {
        if (storage != null) {
            storage.close();
        }
        if (db != null) {
            db.close();
        }
        for (final TestDatabase sqlite : sqlites) {
            sqlite.close();
        }
    }

    /** A new SQLite store already at the current schema, its writer running; the caller closes it. */
    private Storage sqlite(final StorageSettings settings) {
        final TestDatabase sqlite = TestDatabase.createMigrated(TestDatabase.Backend.SQLITE);
        sqlites.add(sqlite);
        return sqlite.open(settings);
    }

    @Test
    void shouldStoreMergeAndLoadExactlyWhatSqliteDoes() {
        final List<StorageOp> ops = new ArrayList<>();
        final List<Delta> deltas = new ArrayList<>();
        for (int i = 1; i <= 30; i++) {
            final Delta d = Deltas.turn(
                    i, 100L * i, "turn " + i + " Zürich 🧠", "Concept" + (i % 4), "Concept" + (i % 5), "Shared");
            deltas.add(d);
            ops.add(new StorageOp.Apply(i % 3 == 0 ? B : A, d));
        }
        ops.add(new StorageOp.Apply(A, deltas.getFirst()));
        ops.add(new StorageOp.ForgetMemory(A, 2));
        ops.add(new StorageOp.ForgetConcept(A, "concept1"));
        ops.add(new StorageOp.PruneLinks(B, 0.2, 5_000, true));
        ops.add(new StorageOp.Apply(
                A,
                new Delta(
                        List.of(new Delta.ConceptDelta("shared", "SHARED", "topic", "", 100)),
                        List.of(),
                        List.of(),
                        List.of(),
                        List.of())));

        final List<CompletableFuture<Storage.ContinuityHead>> acks = new ArrayList<>();
        ops.forEach(op -> acks.add(storage.submit(op)));
        acks.forEach(CompletableFuture::join);

        final Map<String, Delta> fromPostgres = Deltas.loaded(storage);
        try (Storage sqlite = sqlite(StorageSettings.defaults())) {
            ops.forEach(op -> sqlite.submit(op).join());
            assertEquals(Deltas.loaded(sqlite), fromPostgres);
            assertEquals(sqlite.continuity(A), storage.continuity(A));
            assertEquals(sqlite.continuity(B), storage.continuity(B));
        }
        assertTrue(
                fromPostgres.get(A).concepts().stream().noneMatch(c -> c.key().equals("concept1")));
    }

    @Test
    void shouldReproduceStateAndUnredactedChainsWhenTheSqliteChangeFeedIsReplayedIntoPostgres() {
        try (Storage sqlite = sqlite(StorageSettings.defaults())) {
            final List<CompletableFuture<Storage.ContinuityHead>> writes = new ArrayList<>();
            for (int i = 1; i <= 40; i++) {
                final String tenant = i % 2 == 0 ? A : B;
                writes.add(
                        sqlite.submit(new StorageOp.Apply(tenant, Deltas.turn(i, i, "t" + i, "Alpha", "B" + i % 3))));
            }
            writes.add(sqlite.submit(new StorageOp.ForgetConcept(A, "b1")));
            writes.add(sqlite.submit(new StorageOp.ForgetMemory(B, 3)));
            writes.forEach(CompletableFuture::join);

            for (final String tenant : sqlite.tenants()) {
                // Submitted in the feed's order to the one writer, which commits them in that order; waited for
                // together, they commit in a few transactions instead of one each.
                final List<CompletableFuture<Storage.ContinuityHead>> replayed = new ArrayList<>();
                long after = 0;
                for (List<Storage.Change> page = sqlite.changes(tenant, after, 7);
                        !page.isEmpty();
                        page = sqlite.changes(tenant, after, 7)) {
                    for (final Storage.Change change : page) {
                        replayed.add(storage.submit(change.op()));
                        after = change.seq();
                    }
                }
                replayed.forEach(CompletableFuture::join);
                assertTrue(storage.verifyContinuity(tenant).intact());
            }
            assertEquals(List.of(A, B), storage.tenants());
            assertEquals(Deltas.loaded(sqlite), Deltas.loaded(storage));
            assertEquals(sqlite.continuity(A), storage.continuity(A), "an unredacted history keeps its chain");
            assertEquals(sqlite.continuity(B).length(), storage.continuity(B).length());
            assertNotEquals(
                    sqlite.continuity(B).headHex(),
                    storage.continuity(B).headHex(),
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
    void shouldCommitOneTenantWhileAnotherInstanceHoldsAnOpenTransactionOfAnotherTenant() throws Exception {
        final SqlStorage manual = manualStorage(StorageSettings.defaults());
        // Another instance mid-batch for tenant B: its transaction holds what a writer transaction takes before it
        // commits (its tenant row, and the shared probe row while every batch rewrote it), and has not committed yet.
        try (Connection other = DriverManager.getConnection(schema.url());
                Statement st = other.createStatement()) {
            other.setAutoCommit(false);
            st.execute("INSERT INTO tenants (tenant_id, created_at, last_active) VALUES ('" + B + "', 1, 1)");
            st.execute("INSERT INTO writer_probe (id, written_at) VALUES (1, 1)"
                    + " ON CONFLICT (id) DO UPDATE SET written_at = excluded.written_at");
            final CompletableFuture<Storage.ContinuityHead> ack =
                    manual.submit(new StorageOp.Apply(A, memory(1, 1, "tenant A does not wait for tenant B")));
            // Waited for 5 s at most; a writer blocked behind B's transaction goes on once B rolls back.
            final Thread writer = writeOnce(manual);
            writer.join(5_000);
            final boolean committed = ack.isDone() && !ack.isCompletedExceptionally();
            other.rollback();
            writer.join();
            assertTrue(committed, "a batch of tenant A committed while tenant B's transaction was open");
        } finally {
            manual.close();
        }
    }

    /**
     * A batch takes its tenants' chain positions in name order before any op runs. Another instance's write holds
     * tenant A (open, not committed) when a batch of an op of B and then one of A commits here: the batch waits for A
     * without holding B, so a third writer of B is not held up. Locked op by op, the batch held B while it waited for A,
     * and an instance's batch of A and then B deadlocked with it (PostgreSQL aborted one, the writer retried).
     */
    @Test
    void shouldTakeABatchsTenantsInNameOrderBeforeAnyOfItsOps() throws Exception {
        final SqlStorage manual = manualStorage(StorageSettings.defaults());
        try (Connection other = DriverManager.getConnection(schema.url());
                Statement st = other.createStatement()) {
            other.setAutoCommit(false);
            st.execute("INSERT INTO tenants (tenant_id, created_at, last_active) VALUES ('" + A + "', 1, 1)");
            final CompletableFuture<Storage.ContinuityHead> first =
                    manual.submit(new StorageOp.Apply(B, memory(1, 1, "tenant B's op comes first in the batch")));
            final CompletableFuture<Storage.ContinuityHead> second =
                    manual.submit(new StorageOp.Apply(A, memory(2, 2, "tenant A's op second")));
            final Thread writer = writeOnce(manual);
            awaitBlockedBy(other);
            try (Connection third = DriverManager.getConnection(schema.url());
                    Statement thirdSt = third.createStatement()) {
                third.setAutoCommit(false);
                thirdSt.execute("SET lock_timeout = '3s'");
                thirdSt.execute("INSERT INTO tenants (tenant_id, created_at, last_active) VALUES ('" + B + "', 1, 1)"
                        + " ON CONFLICT (tenant_id) DO UPDATE SET last_active = excluded.last_active");
                third.rollback();
            } catch (final SQLException e) {
                other.rollback();
                throw new AssertionError("tenant B was locked by a batch still waiting for tenant A: " + e, e);
            }
            other.commit();
            writer.join();
            assertEquals(1, first.join().length());
            assertEquals(1, second.join().length());
        } finally {
            manual.close();
        }
    }

    static Stream<Named<StorageOp>> deletingOps() {
        return Stream.of(
                Named.of("prune", new StorageOp.PruneLinks(A, 0.2, 5_000, false)),
                Named.of("forget concept", new StorageOp.ForgetConcept(A, ConceptKeys.normalize("Ghost"))),
                Named.of("forget memory", new StorageOp.ForgetMemory(A, 7)),
                Named.of("clear tenant", new StorageOp.ClearTenant(A)));
    }

    /**
     * Another instance's write of the tenant is open (its row locked, a weak link to a new concept and memory 7
     * written, not committed) when a deleting op is committed here. The chain orders the open write first, so every
     * engine applies it and then the delete; the database must hold what that order gives, which replaying the chain
     * into SQLite shows. Deleting before taking the chain position left the open write's rows in the database.
     */
    @ParameterizedTest
    @MethodSource("deletingOps")
    void shouldDeleteWhatAnOpenEarlierWriteOfTheTenantAddsWhenTheDeleteCommitsAfterIt(final StorageOp deleting)
            throws Exception {
        final StorageSettings settings = StorageSettings.defaults();
        storage.submit(new StorageOp.Apply(A, Deltas.turn(1, 1_000, "seed", "Anchor", "Keeper")))
                .join();
        storage.submit(new StorageOp.Apply(A, Deltas.turn(2, 2_000, "seed again", "Anchor", "Keeper")))
                .join();
        final SqlStorage manual = manualStorage(settings);
        try (Connection other = DriverManager.getConnection(schema.url())) {
            other.setAutoCommit(false);
            final StorageOp.Apply open = new StorageOp.Apply(A, Deltas.turn(7, 3_000, "ghost", "Ghost", "Anchor"));
            try (Statements statements = new Statements(other)) {
                final BatchApplier otherWriter =
                        new BatchApplier(statements, SqlDialect.POSTGRESQL, settings.engine(), 3_000);
                assertEquals(3, otherWriter.apply(open, EncodedOp.of(open)).length());
                otherWriter.flush();
            }
            final CompletableFuture<Storage.ContinuityHead> ack = manual.submit(deleting);
            final Thread writer = writeOnce(manual);
            awaitBlockedBy(other);
            other.commit();
            writer.join();
            assertEquals(4, ack.join().length(), "the delete follows the write it waited for");
        } finally {
            manual.close();
        }
        try (Storage replay = sqlite(settings)) {
            for (final Storage.Change change : storage.changes(A, 0, 100)) {
                replay.submit(change.op()).join();
            }
            assertEquals(Deltas.loaded(replay), Deltas.loaded(storage), "the database holds the chain's state");
        }
        assertTrue(storage.verifyContinuity(A).intact());
    }

    /** A storage whose writer does not run until a test drives it ({@link #writeOnce}). */
    private SqlStorage manualStorage(final StorageSettings settings) {
        return PostgresStorage.create(schema.url(), settings, new org.agrona.concurrent.CachedEpochClock());
    }

    /** One round of {@code manual}'s writer on a thread of its own: it commits what was submitted before. */
    private static Thread writeOnce(final SqlStorage manual) {
        return Thread.ofPlatform().start(() -> manual.writer().doWork());
    }

    /** Waits until a session of the schema's server waits for a lock {@code holder}'s transaction holds. */
    private static void awaitBlockedBy(final Connection holder) throws SQLException, InterruptedException {
        final long deadline = System.nanoTime() + 10_000_000_000L;
        try (PreparedStatement pid = holder.prepareStatement("SELECT pg_backend_pid()");
                ResultSet rs = pid.executeQuery()) {
            rs.next();
            final int holderPid = rs.getInt(1);
            try (Connection watcher =
                            DriverManager.getConnection(holder.getMetaData().getURL());
                    PreparedStatement blocked = watcher.prepareStatement(
                            "SELECT COUNT(*) FROM pg_stat_activity WHERE ? = ANY(pg_blocking_pids(pid))")) {
                blocked.setInt(1, holderPid);
                while (true) {
                    try (ResultSet b = blocked.executeQuery()) {
                        b.next();
                        if (b.getLong(1) > 0) {
                            return;
                        }
                    }
                    assertTrue(System.nanoTime() < deadline, "no writer waited for the open transaction within 10 s");
                    Thread.sleep(10);
                }
            }
        }
    }

    @Test
    void shouldRejectOnlyTheOpWhoseTextPostgresCannotHold() throws Exception {
        final SqlStorage manual = manualStorage(StorageSettings.defaults());
        try {
            final CompletableFuture<Storage.ContinuityHead> good =
                    manual.submit(new StorageOp.Apply(A, memory(1, 1, "fine")));
            // PostgreSQL text cannot hold NUL; SQLite can, so this is a PostgreSQL-only rejection.
            final CompletableFuture<Storage.ContinuityHead> bad =
                    manual.submit(new StorageOp.Apply(A, memory(2, 2, "nul \u0000 inside")));
            final CompletableFuture<Storage.ContinuityHead> alsoGood =
                    manual.submit(new StorageOp.Apply(A, memory(3, 3, "fine too")));
            manual.writer().doWork();

            assertEquals(1, good.get().length());
            final java.util.concurrent.ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(
                    java.util.concurrent.ExecutionException.class, bad::get);
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
    void shouldKeepAJsonbTwinOfMetadataWhereTheTextIsJsonPostgresCanHold() throws SQLException {
        final List<String> metadata = List.of(
                "",
                "{}",
                "{ \"b\" : 1, \"a\": [1, 2.50], \"a\": 3 }",
                "{\"nul\":\"\\u0000\"}",
                "{\"big\":1e999999}",
                "not json at all",
                "[1,2]");
        final List<Delta.MemoryDelta> memories = new ArrayList<>();
        for (int i = 0; i < metadata.size(); i++) {
            memories.add(new Delta.MemoryDelta(i + 1, "s", "text", "", "", metadata.get(i), i, List.of()));
        }
        storage.submit(new StorageOp.Apply(A, new Delta(List.of(), List.of(), List.of(), memories, List.of())))
                .join();

        final List<String> twins = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(schema.url());
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT metadata_json::text FROM messages ORDER BY id")) {
            while (rs.next()) {
                twins.add(rs.getString(1));
            }
        }
        assertEquals(Arrays.asList(null, "{}", "{\"a\": 3, \"b\": 1}", null, null, null, "[1, 2]"), twins);
        assertEquals(1, scalar("SELECT COUNT(*) FROM messages WHERE metadata_json @> '{\"b\": 1}'"));
        assertEquals(1, scalar("SELECT COUNT(*) FROM tenants WHERE metadata_json = '{}'::jsonb"));
        assertEquals(metadata.get(2), storage.memory(A, 3).orElseThrow().metadataJson(), "the text stays exact");
    }

    @Test
    void shouldSearchMemoriesAndConceptNamesThroughTheirGinIndexes() throws SQLException {
        // Text with a vocabulary wide enough for PostgreSQL to keep statistics on its words (at least 100 common
        // ones; with fewer, it guesses that a prefix matches 2% of rows and scans the table instead).
        final java.util.Random random = new java.util.Random(42);
        final List<Delta.MemoryDelta> memories = new ArrayList<>();
        final List<Delta.ConceptDelta> concepts = new ArrayList<>();
        for (int i = 1; i <= 5_000; i++) {
            final boolean rare = i % 1_000 == 0;
            final StringBuilder text = new StringBuilder(rare ? "We run Kubernetes" : "About");
            for (int w = 0; w < 20; w++) {
                text.append(" word").append(random.nextInt(400));
            }
            memories.add(new Delta.MemoryDelta(i, "s", text.toString(), "", "", "", i, List.of()));
            final String name = (rare ? "Kubernetes Cluster " : "Word" + random.nextInt(400) + " Topic ") + i;
            concepts.add(
                    new Delta.ConceptDelta(ai.continuum.engine.ConceptKeys.normalize(name), name, "concept", "", i));
        }
        storage.submit(new StorageOp.Apply(A, new Delta(concepts, List.of(), List.of(), memories, List.of())))
                .join();
        // As autovacuum leaves a busy table: GIN's pending list merged, statistics current.
        execute("VACUUM ANALYZE messages");
        execute("VACUUM ANALYZE entities");

        final Storage.MemoryQuery selective = new Storage.MemoryQuery("kube", null, null, null, 0, 10);
        assertEquals(5, storage.memories(A, selective).total());
        final MemoryFilter.Where where = MemoryFilter.of(SqlDialect.POSTGRESQL, A, selective);
        final String count = explain("SELECT COUNT(*)" + where.sql(), where.params());
        assertTrue(count.contains("messages_search"), count);
        final List<Object> paged = new ArrayList<>(where.params());
        paged.add(3);
        paged.add(1);
        final String page = explain(where.pageSql("id", 5), paged);
        assertTrue(page.contains("messages_search"), page);
        assertEquals(
                List.of(4_000L, 3_000L, 2_000L),
                ids(where.pageSql("id", 5), paged),
                "sorting the few matches gives the page the newest-first walk gives");
        assertEquals(List.of(4_000L, 3_000L, 2_000L), ids(where.pageSql("id", Long.MAX_VALUE), paged));

        final String names = explain(
                "SELECT key FROM entities WHERE tenant_id = ? AND "
                        + "to_tsvector('simple'::regconfig, left(key, 100000)) @@ to_tsquery('simple'::regconfig, ?)",
                List.of(A, "'kube':*"));
        assertTrue(names.contains("entities_name_search"), names);
        assertEquals(
                5,
                scalar(
                        "SELECT COUNT(*) FROM entities "
                                + "WHERE to_tsvector('simple'::regconfig, left(key, 100000)) @@ to_tsquery('simple', 'kube:*')"));
    }

    @Test
    void shouldOpenWithTheLibpqUriFormOfTheConnectionString() {
        final String uri = schema.libpqUri("p@ss:w/rd");
        try (Storage viaUri = Storages.open("postgresql", dir, uri, StorageSettings.defaults())) {
            viaUri.submit(new StorageOp.Apply(A, memory(1, 1, "through the uri")))
                    .join();
            assertEquals(
                    "through the uri",
                    storage.memory(A, 1).orElseThrow().userText(),
                    "the same database and schema as the JDBC form");
        }
    }

    private String explain(final String sql, final List<Object> params) throws SQLException {
        final StringBuilder plan = new StringBuilder();
        try (Connection c = DriverManager.getConnection(schema.url());
                PreparedStatement ps = c.prepareStatement("EXPLAIN " + sql)) {
            for (int i = 0; i < params.size(); i++) {
                ps.setObject(i + 1, params.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    plan.append(rs.getString(1)).append('\n');
                }
            }
        }
        return plan.toString();
    }

    private List<Long> ids(final String sql, final List<Object> params) throws SQLException {
        final List<Long> ids = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(schema.url());
                PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.size(); i++) {
                ps.setObject(i + 1, params.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
        }
        return ids;
    }

    private long scalar(final String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(schema.url());
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void execute(final String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(schema.url());
                Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static Storage.MemoryQuery query(final String text) {
        return new Storage.MemoryQuery(text, null, null, null, 0, 10);
    }

    private static List<Long> ids(final Storage.Page<Storage.StoredMemory> page) {
        return page.items().stream().map(Storage.StoredMemory::id).toList();
    }

    private static Delta memory(final long id, final long at, final String text) {
        return new Delta(
                List.of(),
                List.of(),
                List.of(),
                List.of(new Delta.MemoryDelta(id, "s", text, "", "", "{}", at, List.of())),
                List.of());
    }
}
