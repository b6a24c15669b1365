package ai.continuum.server.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The prepared statements of one transaction, each prepared once, and the JDBC batches waiting to be executed (in the
 * order their statements were first batched).
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
        if (first != null) {
            throw first;
        }
    }
}
