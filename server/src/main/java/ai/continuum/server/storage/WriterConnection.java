package ai.continuum.server.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * The storage writer's one connection, opened on first use with auto-commit off and thrown away after any failure (a
 * connection that failed mid-transaction is never trusted again). Also writes the heartbeat every writer transaction
 * starts with, and the probe that is that heartbeat alone.
 *
 * <p>Thread model: the writer thread only.
 */
final class WriterConnection {
    private final DataSource connections;
    /** Checked after every commit, before anything is acknowledged. */
    private final DatabaseFileGuard fileGuard;

    private Connection connection;

    WriterConnection(final DataSource connections, final DatabaseFileGuard fileGuard) {
        this.connections = connections;
        this.fileGuard = fileGuard;
    }

    Connection get() throws SQLException {
        if (connection == null) {
            final Connection c = connections.getConnection();
            c.setAutoCommit(false);
            connection = c;
        }
        return connection;
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
        connection = null;
        if (c == null) {
            return;
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
     * Rewrites the one {@code writer_probe} row. Every writer transaction does this first, so it holds the write lock
     * before it reads anything (a chain head), and on SQLite can never fail to upgrade a read lock to a write lock.
     */
    void writeHeartbeat(final long nowMs) throws SQLException {
        try (PreparedStatement ps = get().prepareStatement("INSERT INTO writer_probe (id, written_at) VALUES (1, ?) "
                + "ON CONFLICT (id) DO UPDATE SET written_at = excluded.written_at")) {
            ps.setLong(1, nowMs);
            ps.executeUpdate();
        }
    }

    /** The heartbeat alone, committed: while the database refuses writes, the recovery probe. */
    void probe(final long nowMs) throws SQLException {
        writeHeartbeat(nowMs);
        commit();
    }
}
