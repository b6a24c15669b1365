package ai.continuum.server.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link Storage#optimize} on PostgreSQL: {@code ANALYZE} of Continuum's tables, or {@code VACUUM (ANALYZE)} of them
 * when asked (dead rows' space becomes reusable; the files shrink only where whole trailing pages are free, since
 * {@code VACUUM FULL} would lock the tables against the running service). Continuum's tables are the ordinary tables
 * of the connection's current schema, the one its migrations created them in; sizes are their total relation size
 * (with indexes and TOAST), never the whole cluster's.
 *
 * <p>Beside a running server: VACUUM and ANALYZE take a lock that lets reads and writes go on. They wait for a
 * conflicting lock (another VACUUM, a schema change) at most the busy timeout ({@code lock_timeout}), then fail with
 * {@link StorageUnavailableException} naming the step.
 *
 * <p>Thread safety: static; each call uses the caller's connection. VACUUM cannot run inside a transaction, so the
 * connection is put in autocommit; the session's {@code lock_timeout} is reset before it goes back to its pool.
 * VACUUM of a big table answers only when done, possibly after longer than the driver's network timeout
 * ({@link PostgresUrl}), so the connection waits without one; the pool puts it back when the connection returns.
 */
final class PostgresMaintenance {
    /** SQLState of a lock not obtained within {@code lock_timeout}. */
    private static final String LOCK_NOT_AVAILABLE = "55P03";

    private PostgresMaintenance() {}

    static OptimizeReport optimize(final Connection c, final boolean vacuum, final long lockTimeoutMs)
            throws SQLException {
        c.setAutoCommit(true);
        WithoutNetworkTimeout.lift(c);
        final String schema = currentSchema(c);
        final List<Table> tables = tables(c, schema);
        final OptimizeRun run = new OptimizeRun();
        try (Statement st = c.createStatement()) {
            st.execute("SET lock_timeout = " + lockTimeoutMs);
            try {
                if (!tables.isEmpty()) {
                    final String list =
                            String.join(", ", tables.stream().map(Table::name).toList());
                    run.execute(
                            st,
                            (vacuum ? "VACUUM (ANALYZE)" : "ANALYZE") + " of " + tables.size() + " tables",
                            (vacuum ? "VACUUM (ANALYZE) " : "ANALYZE ") + list);
                }
            } catch (final SQLException e) {
                if (LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
                    throw new StorageUnavailableException(
                            "optimize stopped at " + run.current() + ": a table stayed "
                                    + "locked (another VACUUM or a schema change) for longer than " + lockTimeoutMs
                                    + " ms. "
                                    + "Retry later.",
                            e);
                }
                throw e;
            } finally {
                resetLockTimeout(st);
            }
        }
        return run.report(
                "postgresql",
                "schema " + schema + " (" + tables.size() + " tables)",
                size(tables),
                size(tables(c, schema)));
    }

    /** Puts the pooled session back as it was; a connection too broken for that is evicted by the pool anyway. */
    private static void resetLockTimeout(final Statement st) {
        try {
            st.execute("RESET lock_timeout");
        } catch (final SQLException ignored) {
            // The pool validates the connection before its next use and discards it when broken.
        }
    }

    private static String currentSchema(final Connection c) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT current_schema()")) {
            final String schema = rs.next() ? rs.getString(1) : null;
            if (schema == null) {
                throw new SQLException("the connection has no current schema (search_path names none that exists)");
            }
            return schema;
        }
    }

    /** An ordinary table of the schema: its quoted, qualified name and total relation size in bytes. */
    private record Table(String name, long bytes) {}

    /** The schema's ordinary tables in name order, each with its size (indexes and TOAST included). */
    private static List<Table> tables(final Connection c, final String schema) throws SQLException {
        final List<Table> tables = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT quote_ident(n.nspname) || '.' || "
                + "quote_ident(c.relname), pg_total_relation_size(c.oid) "
                + "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                + "WHERE n.nspname = ? AND c.relkind = 'r' ORDER BY c.relname")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    tables.add(new Table(rs.getString(1), rs.getLong(2)));
                }
            }
        }
        return tables;
    }

    private static long size(final List<Table> tables) {
        return tables.stream().mapToLong(Table::bytes).sum();
    }
}
