package ai.continuum.server.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * The storage writer's one connection, opened on first use with auto-commit off and thrown away after any failure (a
 * connection that failed mid-transaction is never trusted again). Also takes the write lock every SQLite writer
 * transaction starts with, and writes the probe that tells when a database that refused writes takes them again.
 *
 * <p>Thread model: the writer thread only.
 */
final class WriterConnection {
    private final DataSource connections;
    private final SqlDialect dialect;
    /** Checked after every commit, before anything is acknowledged. */
    private final DatabaseFileGuard fileGuard;

    private Connection connection;
    /** The statements prepared on {@link #connection}; null until asked for, and with it after a discard. */
    private Statements statements;
    /** SQLite's {@code wal_autocheckpoint} for this connection, or 0 to keep SQLite's default. */
    private int autoCheckpointPages;
    /** Whether a {@link LogSyncer} syncs this connection's commits, so its own {@code COMMIT} need not. */
    private boolean syncedElsewhere;

    WriterConnection(final DataSource connections, final SqlDialect dialect, final DatabaseFileGuard fileGuard) {
        this.connections = connections;
        this.dialect = dialect;
        this.fileGuard = fileGuard;
    }

    /**
     * Raises SQLite's auto-checkpoint threshold of the writer's connections to {@code pages}, for when a
     * {@link WalCheckpointer} copies the log instead; takes effect from the next connection opened.
     */
    void checkpointsElsewhere(final int pages) {
        this.autoCheckpointPages = pages;
    }

    /**
     * Lets SQLite's {@code COMMIT} on the writer's connections write the log without syncing it
     * ({@code synchronous=NORMAL}), for when a {@link LogSyncer} syncs the log before anything is acknowledged; takes
     * effect from the next connection opened.
     */
    void syncsElsewhere() {
        this.syncedElsewhere = true;
    }

    Connection get() throws SQLException {
        if (connection == null) {
            final Connection c = connections.getConnection();
            if (dialect == SqlDialect.SQLITE) {
                try (Statement st = c.createStatement()) {
                    if (autoCheckpointPages > 0) {
                        st.execute("PRAGMA wal_autocheckpoint = " + autoCheckpointPages);
                    }
                    if (syncedElsewhere) {
                        st.execute("PRAGMA synchronous = NORMAL");
                    }
                } catch (final SQLException e) {
                    c.close();
                    throw e;
                }
            }
            c.setAutoCommit(false);
            connection = c;
        }
        return connection;
    }

    /** The statements prepared on this connection, kept until it is discarded. */
    Statements statements() throws SQLException {
        final Connection c = get();
        if (statements == null) {
            statements = new Statements(c);
        }
        return statements;
    }

    /** Commits and checks that the database file is still the one opened; the commit is not reported before. */
    void commit() throws SQLException {
        get().commit();
        checkFile();
    }

    /** Throws when the database file is no longer the one opened (replaced or deleted under the process). */
    void checkFile() throws SQLException {
        fileGuard.check();
    }

    /** Rolls back and closes the connection; the next {@link #get} opens a new one. */
    void discard() {
        final Connection c = connection;
        final Statements prepared = statements;
        connection = null;
        statements = null;
        if (c == null) {
            return;
        }
        if (prepared != null) {
            try {
                prepared.close();
            } catch (final SQLException ignored) {
                // Closing the connection below releases them too.
            }
        }
        try {
            c.rollback();
        } catch (final SQLException ignored) {
            // The connection is being thrown away; a failed rollback leaves nothing committed.
        }
        try {
            c.close();
        } catch (final SQLException ignored) {
            // Closing a broken connection may fail; it is unreachable from here on either way.
        }
    }

    /**
     * Starts a writer transaction. On SQLite it first runs a write statement that matches no row, which takes the
     * database's write lock (every write statement does, whatever it changes) without dirtying a page: the transaction
     * holds the lock before it reads anything (a chain head) and can never fail to upgrade a read lock to a write
     * lock. (It rewrote the probe row for that before: one more page in the log and one more B-tree update per
     * commit.) On PostgreSQL it does nothing: each tenant's row, upserted before its chain head is read, orders that
     * tenant's writers, and a shared row here would make every commit of every instance wait for the one before (the
     * instances' batches of different tenants commit in parallel instead).
     */
    void beginWrite() throws SQLException {
        if (dialect == SqlDialect.SQLITE) {
            statements().prepared("DELETE FROM writer_probe WHERE 0").executeUpdate();
        }
    }

    /**
     * The probe row alone, committed: while the database refuses writes, the write that tells when it takes them again
     * (only then, so instances sharing a database do not queue on the row).
     */
    void probe(final long nowMs) throws SQLException {
        writeProbeRow(nowMs);
        commit();
    }

    private void writeProbeRow(final long nowMs) throws SQLException {
        final PreparedStatement ps = statements()
                .prepared("INSERT INTO writer_probe (id, written_at) VALUES (1, ?) "
                        + "ON CONFLICT (id) DO UPDATE SET written_at = excluded.written_at");
        ps.setLong(1, nowMs);
        ps.executeUpdate();
    }
}
