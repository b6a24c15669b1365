package ai.continuum.server.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The prepared statements of one connection, each prepared once for the connection's life, and the JDBC batches of
 * the current transaction waiting to be executed (in the order their statements were first batched).
 *
 * <p>Why for the connection's life, not per transaction: SQLite parses and plans a statement at every prepare, and a
 * learn's transaction uses about ten; preparing them per transaction took 0.21 ms (median) of a single durable learn's
 * 1.7 ms in the service (benchmarks/RESULTS.md, "One agent's durable learn, stage by stage"). A connection that failed
 * is thrown away with its statements ({@link WriterConnection#discard}), so no statement outlives a broken transaction.
 *
 * <p>Thread safety: confined to the writer thread.
 */
final class Statements implements AutoCloseable {
    private final Connection connection;
    private final Map<String, PreparedStatement> bySql = new HashMap<>();
    private final List<PreparedStatement> pending = new ArrayList<>();

    Statements(final Connection connection) {
        this.connection = connection;
    }

    Connection connection() {
        return connection;
    }

    /** Starts a transaction's statements: no batch left from an earlier one is executed with it. */
    void begin() throws SQLException {
        for (final PreparedStatement ps : pending) {
            ps.clearBatch();
        }
        pending.clear();
    }

    PreparedStatement prepared(final String sql) throws SQLException {
        PreparedStatement ps = bySql.get(sql);
        if (ps == null) {
            ps = connection.prepareStatement(sql);
            bySql.put(sql, ps);
        }
        return ps;
    }

    /** The statement for {@code sql}, registered to have its batch executed by {@link #executeBatches}. */
    PreparedStatement batched(final String sql) throws SQLException {
        final PreparedStatement ps = prepared(sql);
        if (!pending.contains(ps)) {
            pending.add(ps);
        }
        return ps;
    }

    void executeBatches() throws SQLException {
        for (final PreparedStatement ps : pending) {
            ps.executeBatch();
        }
        pending.clear();
    }

    /** Runs {@code sql} with parameters (tenant, key) now. */
    void execute(final String sql, final String tenant, final Object key) throws SQLException {
        final PreparedStatement ps = prepared(sql);
        ps.setString(1, tenant);
        ps.setObject(2, key);
        ps.executeUpdate();
    }

    /** Closes every statement; the connection stays open. */
    @Override
    public void close() throws SQLException {
        SQLException first = null;
        for (final PreparedStatement ps : bySql.values()) {
            try {
                ps.close();
            } catch (final SQLException e) {
                first = first == null ? e : first;
            }
        }
        bySql.clear();
        pending.clear();
        if (first != null) {
            throw first;
        }
    }
}
