package ai.continuum.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.agrona.concurrent.CachedEpochClock;
import org.junit.jupiter.api.AfterEach;

/** The write-behind writer driven by hand ({@code doWork}) against each real backend, with a manual clock. */
class WriteBehindWriterTest {
    private static final String T = "tenant-a";

    private final CachedEpochClock clock = new CachedEpochClock();
    private TestDatabase db;
    private SqlStorage storage;

    private SqlStorage open(final TestDatabase database, final StorageSettings settings) {
        db = database;
        clock.update(1_700_000_000_000L);
        storage = db.create(settings, clock);
        return storage;
    }

    @AfterEach
    void close() {
        if (storage != null) {
            storage.close();
        }
    }

    @OnEachBackend
    void shouldCompleteFuturesOnlyAfterTheirBatchCommits(final TestDatabase database) throws Exception {
        final SqlStorage s = open(database, StorageSettings.defaults());
        final List<CompletableFuture<Storage.ContinuityHead>> futures = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            futures.add(s.submit(new StorageOp.Apply(T, Deltas.turn(i, 1000L * i, "turn " + i, "Alpha", "Beta"))));
        }
        assertFalse(futures.stream().anyMatch(CompletableFuture::isDone), "nothing is acknowledged before a commit");
        assertEquals(3, s.queueDepth());
        assertEquals(0, countRows("messages"), "nothing is written before the writer runs");

        assertEquals(3, s.writer().doWork(), "one doWork commits the whole batch");

        assertTrue(futures.stream().allMatch(f -> f.isDone() && !f.isCompletedExceptionally()));
        assertEquals(3, countRows("messages"));
        assertEquals(3, countRows("change_log"));
        assertEquals(
                List.of(1L, 2L, 3L),
                futures.stream().map(f -> f.join().length()).toList(),
                "each op gets its own position in the chain");
        assertEquals(futures.get(2).join(), s.continuity(T));
        assertEquals(0, s.queueDepth());
    }

    @OnEachBackend
    void shouldCompleteFuturesInCommitOrderOnTheWriterThread(final TestDatabase database) {
        final SqlStorage s = open(database, StorageSettings.defaults());
        final List<Long> completed = new ArrayList<>();
        final List<Thread> threads = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            final CompletableFuture<?> unused = s.submit(new StorageOp.ForgetMemory(T, i))
                    .thenAccept(head -> {
                        completed.add(head.length());
                        threads.add(Thread.currentThread());
                    });
        }
        assertEquals(List.of(), completed);
        s.writer().doWork();
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), completed);
        assertTrue(threads.stream().allMatch(t -> t == Thread.currentThread()), "the thread that ran doWork");
    }

    @OnEachBackend
    void shouldRedactAMemoryForgottenInTheSameBatchThatStoredIt(final TestDatabase database) throws Exception {
        final SqlStorage s = open(database, StorageSettings.defaults());
        final CompletableFuture<?> stored =
                s.submit(new StorageOp.Apply(T, Deltas.turn(1, 1, "whisper this", "Alpha", "Beta")));
        final CompletableFuture<?> forgotten = s.submit(new StorageOp.ForgetMemory(T, 1));
        assertEquals(2, s.writer().doWork(), "both in one transaction");
        stored.join();
        forgotten.join();
        assertEquals(0L, scalar("SELECT COUNT(*) FROM change_log WHERE payload LIKE '%whisper%'"));
        assertEquals(0L, scalar("SELECT COUNT(*) FROM messages"));
        assertEquals(1, s.verifyContinuity(T).redactedOps());
    }

    @OnEachBackend
    void shouldSplitTheQueueIntoBatchesOfAtMostMaxBatchOps(final TestDatabase database) {
        final SqlStorage s = open(database, StorageSettings.defaults().withMaxBatchOps(2));
        final List<CompletableFuture<Storage.ContinuityHead>> futures = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            futures.add(s.submit(new StorageOp.ForgetMemory(T, i)));
        }
        assertEquals(2, s.writer().doWork());
        assertEquals(2, futures.stream().filter(CompletableFuture::isDone).count());
        assertEquals(2, s.writer().doWork());
        assertEquals(1, s.writer().doWork());
        assertTrue(futures.stream().allMatch(CompletableFuture::isDone));
    }

    @OnEachBackend
    void shouldRejectWithQueueFullWhenTheQueueIsFullAndLoseNothingAccepted(final TestDatabase database)
            throws Exception {
        final SqlStorage s = open(database, StorageSettings.defaults().withQueueCapacity(4));
        final List<CompletableFuture<Storage.ContinuityHead>> accepted = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            accepted.add(s.submit(new StorageOp.Apply(T, Deltas.turn(i, i, "turn " + i, "Alpha", "Gamma"))));
        }
        final QueueFullException full = assertThrows(
                QueueFullException.class,
                () -> s.submit(new StorageOp.Apply(T, Deltas.turn(5, 5, "turn 5", "Alpha", "Gamma"))));
        assertTrue(full.retryAfterSeconds() >= 1);

        s.writer().doWork();

        assertTrue(accepted.stream().allMatch(f -> f.isDone() && !f.isCompletedExceptionally()));
        assertEquals(4, countRows("messages"), "every accepted op is stored, the rejected one is not");
        assertEquals(4L, linkCount("alpha", "gamma"));
        final CompletableFuture<?> fifth =
                s.submit(new StorageOp.Apply(T, Deltas.turn(5, 5, "turn 5", "Alpha", "Gamma")));
        s.writer().doWork();
        fifth.join();
        assertEquals(5, countRows("messages"), "after draining, the queue accepts again");
    }

    @OnEachBackend
    void shouldFailWithStorageUnavailableWhileTheDatabaseRefusesWritesAndRecoverAfterwards(final TestDatabase database)
            throws Exception {
        final SqlStorage s = open(database, StorageSettings.defaults().withTimeouts(20, 500, 1_000, 2_000));
        final CompletableFuture<?> before =
                s.submit(new StorageOp.Apply(T, Deltas.turn(1, 1, "before", "Alpha", "Beta")));
        s.writer().doWork();
        before.join();

        // Another process holding the write lock (SQLite: SQLITE_BUSY), or the table every transaction writes
        // first gone (PostgreSQL): every commit of the writer fails as an outage, not as rejected data.
        try (AutoCloseable refusing = db.refuseWrites()) {
            final CompletableFuture<Storage.ContinuityHead> refused =
                    s.submit(new StorageOp.Apply(T, Deltas.turn(2, 2, "during", "Alpha", "Beta")));
            s.writer().doWork();
            assertFalse(refused.isDone(), "a failed commit is retried before giving up");
            clock.advance(100);
            s.writer().doWork();
            assertFalse(refused.isDone());
            clock.advance(500);
            s.writer().doWork();

            final ExecutionException e = assertThrows(ExecutionException.class, refused::get);
            assertInstanceOf(StorageUnavailableException.class, e.getCause());
            assertFalse(s.isReachable(), "readiness reports the writer's trouble");
            final CompletableFuture<Storage.ContinuityHead> fastFail = s.submit(new StorageOp.ForgetMemory(T, 1));
            assertTrue(fastFail.isCompletedExceptionally(), "while unavailable, submits fail at once");

            clock.advance(1_000);
            s.writer().doWork();
            assertFalse(s.isReachable(), "the probe write is refused too while the database refuses writes");
        }

        clock.advance(1_000);
        s.writer().doWork();
        assertTrue(s.isReachable(), "a successful probe write ends the outage");
        final CompletableFuture<Storage.ContinuityHead> after =
                s.submit(new StorageOp.Apply(T, Deltas.turn(3, 3, "after", "Alpha", "Beta")));
        s.writer().doWork();
        assertEquals(2L, after.get().length(), "the refused op never entered the chain");
        assertEquals(List.of(1L, 3L), memoryIds());
        assertEquals(2L, linkCount("alpha", "beta"), "nothing of the refused op was written");
        if (!db.postgres()) {
            assertEquals("ok", integrity());
        }
    }

    @OnEachBackend
    void shouldCommitWhatIsQueuedWhenClosed(final TestDatabase database) throws Exception {
        final SqlStorage s = open(database, StorageSettings.defaults());
        final CompletableFuture<Storage.ContinuityHead> f =
                s.submit(new StorageOp.Apply(T, Deltas.turn(7, 7, "queued", "Alpha", "Delta")));
        s.close();
        storage = null;
        assertEquals(1L, f.get().length());
        assertEquals(1, countRows("messages"));
        final CompletableFuture<Storage.ContinuityHead> late = s.submit(new StorageOp.ForgetMemory(T, 7));
        assertTrue(late.isCompletedExceptionally(), "a closed storage accepts nothing");
    }

    @OnEachBackend
    void shouldWriteApiKeyTouchesWithTheNextTransaction(final TestDatabase database) {
        final SqlStorage s = open(database, StorageSettings.defaults());
        final java.time.Instant created = java.time.Instant.ofEpochMilli(1_000);
        s.apiKeys().insert(new ApiKeys.StoredKey("k1", T, "ci", "salt:hash", false, created, null, null));
        s.apiKeys().touch("k1", java.time.Instant.ofEpochMilli(5_000));
        s.apiKeys().touch("k1", java.time.Instant.ofEpochMilli(4_000));
        assertEquals(
                5_000,
                s.apiKeys().find("k1").orElseThrow().lastUsedAt().toEpochMilli(),
                "a pending touch is visible before it is written");
        assertEquals(1, s.writer().doWork());
        assertEquals(0, s.writer().doWork(), "nothing left to write");
        assertEquals(5_000L, scalar("SELECT last_used_at FROM api_keys WHERE key_id = 'k1'"));
    }

    private long countRows(final String table) throws SQLException {
        return scalar("SELECT COUNT(*) FROM " + table);
    }

    private long linkCount(final String a, final String b) throws SQLException {
        return scalar("SELECT count FROM attention_links WHERE concept_a = '" + a + "' AND concept_b = '" + b + "'");
    }

    private List<Long> memoryIds() throws SQLException {
        final List<Long> ids = new ArrayList<>();
        try (Connection c = db.connect();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT id FROM messages ORDER BY id")) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        return ids;
    }

    private String integrity() throws SQLException {
        try (Connection c = db.connect();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("PRAGMA integrity_check")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private long scalar(final String sql) {
        return db.scalar(sql);
    }
}
