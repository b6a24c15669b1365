package ai.continuum.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.agrona.concurrent.CachedEpochClock;
import org.junit.jupiter.api.AfterEach;

/**
 * What one group commit of durable learns asks of each database: the calls that wait for it (round trips to
 * PostgreSQL), the statements and the rows sent, counted at the JDBC boundary ({@link CountingConnection}). The
 * cost per commit must not grow with the number of learns in it except by their own rows, and concepts or links that
 * recur across the learns of one commit must be written once.
 */
class GroupCommitCostTest {
    private static final String T = "tenant-a";
    private static final SideWrites NO_SIDE_WRITES = new SideWrites() {
        @Override
        public boolean hasPending() {
            return false;
        }

        @Override
        public void write(final Connection connection, final long nowMillis) {
            // Nothing rides along here.
        }
    };

    private final CachedEpochClock clock = new CachedEpochClock();
    private SqlStorage storage;

    @AfterEach
    void close() {
        if (storage != null) {
            storage.close();
        }
    }

    /** Commits {@code batches} group commits of {@code perBatch} learns each; counts all but the first. */
    private CountingConnection commit(
            final TestDatabase db, final int batches, final int perBatch, final boolean shared) throws SQLException {
        clock.update(1_700_000_000_000L);
        storage = db.create(StorageSettings.defaults(), clock); // creates and migrates the schema
        final CountingConnection counting = new CountingConnection(db.jdbcUrl());
        final SqlDialect dialect = db.postgres() ? SqlDialect.POSTGRESQL : SqlDialect.SQLITE;
        final WriterConnection connection = new WriterConnection(counting, dialect, DatabaseFileGuard.NONE);
        final BatchCommitter committer = new BatchCommitter(
                connection, dialect, StorageSettings.defaults(), NO_SIDE_WRITES, new InDoubtCommit());
        long id = 0;
        for (int b = 0; b < batches; b++) {
            if (b == 1) {
                counting.reset(); // the first commit created the tenant and its concepts
            }
            final List<WriteQueue.Pending> ops = new ArrayList<>();
            for (int i = 0; i < perBatch; i++) {
                id++;
                final String a = shared ? "Kafka" : "Concept " + id;
                final String c = shared ? "Flink" : "Topic " + id;
                final StorageOp op = new StorageOp.Apply(
                        T, Deltas.turn(id, 1_000 + id, "Should " + a + " depend on " + c + "?", a, c, "Release Plan"));
                ops.add(new WriteQueue.Pending(op, EncodedOp.of(op), null, new CompletableFuture<>()));
            }
            assertEquals(perBatch, committer.commit(ops, clock.time()).size());
        }
        connection.discard();
        return counting;
    }

    private static String describe(final String backend, final int perBatch, final CountingConnection c, final int n) {
        return String.format(
                "%s, %d learns per commit: per commit %.1f calls (%s), %.1f rows sent (%s), %.1f prepared",
                backend,
                perBatch,
                c.totalCalls() / (double) n,
                perCommit(c.calls, n),
                c.totalRows() / (double) n,
                perCommit(c.rows, n),
                c.prepared / (double) n);
    }

    private static String perCommit(final Map<String, Integer> counts, final int n) {
        final StringBuilder b = new StringBuilder();
        counts.forEach((k, v) ->
                b.append(b.isEmpty() ? "" : "; ").append(k).append(' ').append(v / (double) n));
        return b.toString();
    }

    @OnEachBackend
    void shouldSendTheSameStatementsForOneLearnAsForSixtyFour(final TestDatabase db) throws SQLException {
        final CountingConnection one = commit(db, 4, 1, false);
        System.out.println(describe(db.toString(), 1, one, 3));
        storage.close();
        try (TestDatabase other = TestDatabase.create(db.backend())) {
            final CountingConnection many = commit(other, 4, 64, false);
            System.out.println(describe(db.toString(), 64, many, 3));
            assertEquals(
                    one.calls.keySet(), many.calls.keySet(), "the same statements, whatever the size of the commit");
            assertEquals(one.totalCalls(), many.totalCalls(), "one call per statement per commit: " + many.calls);
            assertTrue(
                    many.totalRows() <= 64 * one.totalRows(),
                    "no more rows per learn in a larger commit: " + many.rows + " against " + one.rows);
            storage.close();
            storage = null;
        } catch (final java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** SQLite parses and plans a statement at every prepare: a commit's statements are prepared once per connection. */
    @OnEachBackend
    void shouldPrepareNoStatementAfterTheConnectionsFirstCommit(final TestDatabase db) throws SQLException {
        final CountingConnection c = commit(db, 4, 1, false);
        assertTrue(c.totalCalls() > 0, "the later commits sent work: " + c.calls);
        assertEquals(0, c.prepared, "statements prepared by the three commits after the first: " + c.calls);
    }

    @OnEachBackend
    void shouldWriteRecurringConceptsAndLinksOncePerCommit(final TestDatabase db) throws SQLException {
        final CountingConnection c = commit(db, 3, 64, true);
        System.out.println(describe(db.toString(), 64, c, 2) + " (every learn names the same concepts)");
        assertEquals(2 * 3, c.rows.get("INSERT INTO entities"), "three concepts, once per commit: " + c.rows);
        assertEquals(2 * 3, c.rows.get("INSERT INTO attention_links"), "three links, once per commit: " + c.rows);
        assertEquals(2, c.rows.get("INSERT INTO compound_concepts"), "one compound, once per commit: " + c.rows);
        assertEquals(2 * 64, c.rows.get("INSERT INTO change_log"), "one change per learn: " + c.rows);
    }

    @OnEachBackend
    void shouldBatchOnlyStatementsTheDriverSendsAsMultiRowInserts(final TestDatabase db) throws SQLException {
        final CountingConnection c = commit(db, 2, 8, false);
        assertTrue(c.multiRow.containsKey("INSERT INTO messages"), "memories are batched: " + c.multiRow);
        c.multiRow.forEach((statement, values) -> assertTrue(
                values, statement + " is an INSERT ... SELECT: PostgreSQL gets one statement per row of its batch"));
    }

    @OnEachBackend
    void shouldKeepForgottenMemoriesOutOfALaterCommit(final TestDatabase db) {
        clock.update(1_700_000_000_000L);
        storage = db.create(StorageSettings.defaults(), clock);
        final CompletableFuture<?> earlier = storage.submit(new StorageOp.ForgetMemory(T, 5));
        storage.writer().doWork();
        assertTrue(earlier.isDone() && !earlier.isCompletedExceptionally());
        // One commit: learns around the tombstone of 5, and a forget of 7 before the learn that carries 7.
        final List<CompletableFuture<?>> ops = new ArrayList<>();
        for (final long id : new long[] {4, 5}) {
            ops.add(storage.submit(new StorageOp.Apply(T, Deltas.turn(id, id, "turn " + id, "Alpha", "Beta"))));
        }
        ops.add(storage.submit(new StorageOp.ForgetMemory(T, 7)));
        for (final long id : new long[] {6, 7}) {
            ops.add(storage.submit(new StorageOp.Apply(T, Deltas.turn(id, id, "turn " + id, "Alpha", "Beta"))));
        }
        assertEquals(5, storage.writer().doWork(), "one commit");
        assertTrue(ops.stream().allMatch(f -> f.isDone() && !f.isCompletedExceptionally()));
        assertEquals(2, db.scalar("SELECT count(*) FROM messages WHERE tenant_id = '" + T + "'"));
        assertEquals(0, db.scalar("SELECT count(*) FROM messages WHERE id IN (5, 7)"), "no forgotten memory revived");
        assertEquals(0, db.scalar("SELECT count(*) FROM decisions WHERE memory_id IN (5, 7)"));
        assertEquals(2, db.scalar("SELECT count(*) FROM decisions WHERE memory_id IN (4, 6)"));
    }
}
