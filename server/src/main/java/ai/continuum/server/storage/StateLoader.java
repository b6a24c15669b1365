package ai.continuum.server.storage;

import ai.continuum.engine.Delta;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.function.BiConsumer;
import javax.sql.DataSource;

/**
 * Streams the stored state of every tenant as deltas of at most {@code chunkRows} rows each, per tenant in the order
 * concepts, links, compounds, memories, decisions (so every key a link or memory names has arrived first). Rows come
 * in key order, so the same database always gives the same deltas.
 *
 * <p>Reading and applying overlap: {@link LoadLane reader threads} run the queries and turn rows into deltas while the
 * caller's thread hands the previous deltas to the sink (the engine's bulk load, which must stay on one thread). At
 * start-up the sink is the larger cost, so reading mostly disappears behind it.
 *
 * <p>Snapshot: every read of one load sees one consistent state of the database, even if a writer commits
 * meanwhile. SQLite (WAL): one lane on one connection in one read transaction. PostgreSQL: two lanes, the links (the
 * largest table, which the server sorts for seconds before the first row) on their own connection, so that sort runs
 * while the caller applies the concepts; both connections read in REPEATABLE READ from one exported snapshot
 * ({@code pg_export_snapshot()} / {@code SET TRANSACTION SNAPSHOT}).
 *
 * <p>Thread safety: one call of {@link #load} per load; the sink is called on the caller's thread only.
 */
final class StateLoader {
    /** Tables in the order the sink receives them per tenant. */
    private static final List<LoadTable> ALL = List.of(LoadTable.values());
    /** Tables the PostgreSQL side lane reads. */
    private static final List<LoadTable> SIDE = List.of(LoadTable.LINKS);

    private StateLoader() {}

    /**
     * Loads every tenant into {@code sink}.
     *
     * @param parallel read the links on a second connection (PostgreSQL only; needs two free pooled connections).
     * @return every tenant's chain position in the snapshot the state was read from: the state loaded is exactly the
     *         effect of each tenant's ops up to that position, so a follower of the change log continues after it.
     */
    static SortedMap<String, Long> load(
            final DataSource pool,
            final SqlDialect dialect,
            final int chunkRows,
            final boolean parallel,
            final BiConsumer<String, Delta> sink)
            throws SQLException {
        final boolean twoLanes = parallel && dialect == SqlDialect.POSTGRESQL;
        try (Connection main = pool.getConnection()) {
            main.setAutoCommit(false);
            try {
                if (dialect == SqlDialect.POSTGRESQL) {
                    // READ COMMITTED would give every statement its own snapshot.
                    main.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                }
                if (!twoLanes) {
                    final SortedMap<String, Long> heads = ChainHeads.all(main);
                    stream(readTenants(main), List.of(new LoadLane(main, ALL, chunkRows)), sink);
                    return heads;
                }
                final String snapshot = exportSnapshot(main);
                final SortedMap<String, Long> heads = ChainHeads.all(main);
                final List<String> tenants = readTenants(main);
                try (Connection side = pool.getConnection()) {
                    side.setAutoCommit(false);
                    try {
                        side.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                        importSnapshot(side, snapshot);
                        final List<LoadTable> mainTables = new ArrayList<>(ALL);
                        mainTables.removeAll(SIDE);
                        stream(
                                tenants,
                                List.of(new LoadLane(main, mainTables, chunkRows), new LoadLane(side, SIDE, chunkRows)),
                                sink);
                        return heads;
                    } finally {
                        side.rollback();
                        side.setAutoCommit(true);
                    }
                }
            } finally {
                main.rollback();
                main.setAutoCommit(true);
            }
        }
    }

    /**
     * Starts the lanes and hands their deltas to the sink in table order; every lane has ended when this returns,
     * also when the sink or a lane failed (the first failure is rethrown).
     */
    private static void stream(
            final List<String> tenants, final List<LoadLane> lanes, final BiConsumer<String, Delta> sink)
            throws SQLException {
        for (final LoadLane lane : lanes) {
            lane.start(tenants);
        }
        try {
            for (final String tenant : tenants) {
                for (final LoadTable table : ALL) {
                    final LoadLane lane = laneOf(lanes, table);
                    for (Delta delta = lane.next(); delta != null; delta = lane.next()) {
                        sink.accept(tenant, delta);
                    }
                }
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while loading the stored state", e);
        } finally {
            for (final LoadLane lane : lanes) {
                lane.stop();
            }
        }
    }

    private static LoadLane laneOf(final List<LoadLane> lanes, final LoadTable table) {
        for (final LoadLane lane : lanes) {
            if (lane.reads(table)) {
                return lane;
            }
        }
        throw new IllegalStateException("no lane reads " + table);
    }

    private static List<String> readTenants(final Connection c) throws SQLException {
        final List<String> tenants = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT tenant_id FROM tenants ORDER BY tenant_id");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                tenants.add(rs.getString(1));
            }
        }
        return tenants;
    }

    private static String exportSnapshot(final Connection c) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT pg_export_snapshot()")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static void importSnapshot(final Connection c, final String snapshot) throws SQLException {
        // The id comes from the server and is a plain token, but it is bound as a literal: SET takes no parameters.
        if (!snapshot.matches("[0-9A-Fa-f-]+")) {
            throw new SQLException("unexpected snapshot id from the server: " + snapshot);
        }
        try (Statement st = c.createStatement()) {
            st.execute("SET TRANSACTION SNAPSHOT '" + snapshot + "'");
        }
    }
}
