package ai.continuum.server.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.sqlite.SQLiteException;

/**
 * {@link Storage#optimize} on SQLite: {@code ANALYZE} (planner statistics), {@code REINDEX}, optionally
 * {@code VACUUM} (rewrites the file without the free pages deleted rows left), then
 * {@code wal_checkpoint(TRUNCATE)} so the WAL is folded into the file and the sizes reported are real.
 *
 * <p>Beside a running server: each step is one transaction that takes SQLite's write lock, waiting for it up to the
 * busy timeout; a step that cannot get it fails with {@link StorageUnavailableException} naming the step, and
 * SQLite rolls the step back whole, so nothing is corrupted and the steps before it stay done. While a step holds
 * the lock (VACUUM rewrites the whole file, so it holds it longest), the server's writer waits for it the same way,
 * and retries its batch if the wait runs out; readers are never blocked (WAL).
 *
 * <p>Thread safety: static; each call uses the caller's connection, which it must own alone.
 */
final class SqliteMaintenance {
    /** SQLite primary result codes of a lock not obtained: BUSY (5), LOCKED (6). */
    private static final int SQLITE_BUSY = 5;

    private static final int SQLITE_LOCKED = 6;

    private SqliteMaintenance() {}

    /**
     * @param c             a connection in autocommit mode (VACUUM cannot run in a transaction), e.g. a pooled one:
     *                      its {@code temp_store} is changed for VACUUM and put back to memory afterwards.
     * @param busyTimeoutMs the connection's busy timeout, for the failure message.
     */
    static OptimizeReport optimize(final Connection c, final boolean vacuum, final long busyTimeoutMs)
            throws SQLException {
        final Path db = databaseFile(c);
        final long before = size(db);
        final OptimizeRun run = new OptimizeRun();
        try (Statement st = c.createStatement()) {
            run.execute(st, "ANALYZE");
            run.execute(st, "REINDEX");
            if (vacuum) {
                // VACUUM builds the new file as a temporary database first. The service's connections keep temporary
                // data in memory; here it goes to disk, so a large database does not need its size in RAM.
                st.execute("PRAGMA temp_store = FILE");
                try {
                    run.execute(st, "VACUUM");
                } finally {
                    st.execute("PRAGMA temp_store = MEMORY");
                }
            }
            checkpoint(st, run);
        } catch (final SQLException e) {
            if (isLockNotObtained(e)) {
                throw new StorageUnavailableException(
                        "optimize stopped at " + run.current() + ": another connection "
                                + "(a running server's writer, or another command) held the database's write lock for longer "
                                + "than the busy timeout of " + busyTimeoutMs + " ms; " + run.current()
                                + " changed nothing "
                                + "(steps done: " + run.done() + "). Retry when the server is quiet or stopped.",
                        e);
            }
            throw e;
        }
        return run.report("sqlite", db.toString(), before, size(db));
    }

    /**
     * {@code PRAGMA wal_checkpoint(TRUNCATE)}: copies the WAL into the file and empties it. It cannot finish while
     * another connection reads an older snapshot; that is reported as a note, not an error (the next checkpoint of
     * the server's writer completes it).
     */
    private static void checkpoint(final Statement st, final OptimizeRun run) throws SQLException {
        run.execute(st, "PRAGMA wal_checkpoint(TRUNCATE)");
        try (ResultSet rs = st.getResultSet()) {
            if (rs != null && rs.next() && rs.getInt(1) != 0) {
                run.note("the WAL checkpoint could not finish (another connection was reading); the WAL shrinks at a "
                        + "later checkpoint, so the size after may still include it");
            }
        }
    }

    private static Path databaseFile(final Connection c) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("PRAGMA database_list")) {
            while (rs.next()) {
                if ("main".equals(rs.getString("name"))) {
                    return Path.of(rs.getString("file"));
                }
            }
        }
        throw new SQLException("SQLite reports no main database file");
    }

    /** The database file plus its WAL, bytes. */
    private static long size(final Path db) {
        try {
            final Path wal = db.resolveSibling(db.getFileName() + "-wal");
            return Files.size(db) + (Files.exists(wal) ? Files.size(wal) : 0);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot read the size of " + db, e);
        }
    }

    private static boolean isLockNotObtained(final SQLException e) {
        if (!(e instanceof SQLiteException lite)) {
            return false;
        }
        final int primary = lite.getResultCode().code & 0xff;
        return primary == SQLITE_BUSY || primary == SQLITE_LOCKED;
    }
}
