package ai.continuum.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;
import org.agrona.concurrent.CachedEpochClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * A COMMIT whose answer is lost (the connection breaks while the database commits, as when PostgreSQL shuts down
 * under the writer): the writer cannot tell whether the batch landed. Writing it again when it had landed would apply
 * it twice (link counts doubled, the op twice in the chain); not writing it when it had not would lose it.
 */
class CommitInDoubtTest {
    private static final String T = "tenant-a";

    @TempDir
    Path dir;

    private final CachedEpochClock clock = new CachedEpochClock();
    /** What the next COMMIT of the writer's connection does: normal, commit then fail, or fail without committing. */
    private volatile CommitFault fault = CommitFault.NONE;
    /** While set, the writer's source refuses connections, as a stopped database does. */
    private volatile boolean down;

    private SqlStorage storage;

    private enum CommitFault {
        NONE,
        COMMIT_THEN_FAIL,
        FAIL
    }

    @BeforeEach
    void open() {
        clock.update(1_700_000_000_000L);
        final String url = "jdbc:sqlite:" + dir.resolve(SqliteStorage.FILE_NAME);
        final SQLiteDataSource writer = sqlite(url);
        Migrations.migrate(writer, SqlDialect.SQLITE);
        final HikariConfig pool = new HikariConfig();
        pool.setDataSource(sqlite(url));
        pool.setMaximumPoolSize(2);
        storage = new SqlStorage(
                SqlDialect.SQLITE,
                new HikariDataSource(pool),
                faulty(writer),
                StorageSettings.defaults(),
                clock,
                DatabaseFileGuard.of(dir.resolve(SqliteStorage.FILE_NAME)));
    }

    @AfterEach
    void close() {
        storage.close();
    }

    @Test
    void shouldAcknowledgeABatchWhoseLostCommitHadLandedWithoutApplyingItTwice() throws Exception {
        final CompletableFuture<Storage.ContinuityHead> first = storage.submit(turn(1));
        final CompletableFuture<Storage.ContinuityHead> second = storage.submit(turn(2));
        fault = CommitFault.COMMIT_THEN_FAIL;
        storage.writer().doWork();
        assertFalse(first.isDone(), "no answer from the commit: nothing acknowledged yet");

        clock.advance(CommitRetry.INITIAL_BACKOFF_MS);
        storage.writer().doWork();

        assertEquals(2, second.get().length());
        assertEquals(2, count("SELECT count(*) FROM change_log"), "each op once in the chain");
        assertEquals(2, count("SELECT count FROM attention_links"), "each op's link counted once");
        assertTrue(storage.verifyContinuity(T).intact());
        assertEquals(0, storage.queueDepth());
    }

    @Test
    void shouldWriteAgainABatchWhoseLostCommitHadNotLanded() throws Exception {
        final CompletableFuture<Storage.ContinuityHead> first = storage.submit(turn(1));
        fault = CommitFault.FAIL;
        storage.writer().doWork();
        assertFalse(first.isDone());
        assertEquals(0, count("SELECT count(*) FROM change_log"));

        clock.advance(CommitRetry.INITIAL_BACKOFF_MS);
        storage.writer().doWork();

        assertEquals(1, first.get().length());
        assertEquals(1, count("SELECT count(*) FROM change_log"));
        assertEquals(1, count("SELECT count FROM attention_links"));
        assertTrue(storage.verifyContinuity(T).intact());
    }

    /**
     * The database stays down past the retry window after a lost commit answer: the ops are not failed (a 503 would
     * invite a retry storing them twice) but held, with new writes refused, until the database can tell.
     */
    @Test
    void shouldHoldABatchInDoubtUntilTheDatabaseAnswersAndThenAcknowledgeItOnce() throws Exception {
        final CompletableFuture<Storage.ContinuityHead> first = storage.submit(turn(1));
        fault = CommitFault.COMMIT_THEN_FAIL;
        storage.writer().doWork();
        down = true;
        final StorageSettings settings = StorageSettings.defaults();
        for (long waitedMs = 0; waitedMs <= 2 * settings.commitRetryMs(); waitedMs += settings.probeIntervalMs()) {
            clock.advance(settings.probeIntervalMs());
            storage.writer().doWork();
        }
        assertFalse(first.isDone(), "neither failed nor acknowledged while the database cannot tell");
        assertTrue(storage.writer().isUnavailable());
        assertTrue(storage.submit(turn(2)).isCompletedExceptionally(), "new writes are refused meanwhile");

        down = false;
        clock.advance(settings.probeIntervalMs());
        storage.writer().doWork();

        assertEquals(1, first.get().length());
        assertFalse(storage.writer().isUnavailable());
        assertEquals(1, count("SELECT count(*) FROM change_log"));
        assertEquals(1, count("SELECT count FROM attention_links"));
    }

    private static StorageOp turn(final long id) {
        return new StorageOp.Apply(T, Deltas.turn(id, 1000L * id, "turn " + id, "Alpha", "Beta"));
    }

    private long count(final String sql) throws SQLException {
        try (Connection c = sqlite("jdbc:sqlite:" + dir.resolve(SqliteStorage.FILE_NAME))
                        .getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            assertTrue(rs.next(), sql);
            return rs.getLong(1);
        }
    }

    private static SQLiteDataSource sqlite(final String url) {
        final SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setBusyTimeout(5_000);
        final SQLiteDataSource ds = new SQLiteDataSource(config);
        ds.setUrl(url);
        return ds;
    }

    /** {@code target}'s connections, whose {@code commit()} obeys {@link #fault} once. */
    private DataSource faulty(final DataSource target) {
        return (DataSource) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    if (down && method.getName().equals("getConnection")) {
                        throw new SQLException("Connection refused", "08001");
                    }
                    final Object result = invoke(target, method, args);
                    return result instanceof Connection c ? faulty(c) : result;
                });
    }

    private Connection faulty(final Connection target) {
        return (Connection) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    if (method.getName().equals("commit") && fault != CommitFault.NONE) {
                        final CommitFault now = fault;
                        fault = CommitFault.NONE;
                        if (now == CommitFault.COMMIT_THEN_FAIL) {
                            target.commit();
                        } else {
                            target.rollback();
                        }
                        throw new SQLException("An I/O error occurred while sending to the backend.", "08006");
                    }
                    return invoke(target, method, args);
                });
    }

    private static Object invoke(final Object target, final java.lang.reflect.Method method, final Object[] args)
            throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (final InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
