package ai.continuum.server.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Streams tenants' stored state to an {@link ExportSink}: per tenant its chain head, its tables as {@link LoadTable}
 * reads them (the same queries and deltas as the start-up load; memories optional), then its forgotten memory ids.
 * Sequential on the one connection it is handed, whose read transaction is the snapshot: unlike the start-up load,
 * an export is bounded by writing the document, not by reading.
 *
 * <p>Thread safety: one instance per export, on the caller's thread.
 */
final class StateExporter {
    private final Connection connection;
    private final int chunkRows;

    StateExporter(final Connection connection, final int chunkRows) {
        this.connection = connection;
        this.chunkRows = chunkRows;
    }

    /** Exports every stored tenant (sorted), or only {@code tenantOrNull}; returns how many were exported. */
    int export(final String tenantOrNull, final boolean includeMemories, final ExportSink sink) throws SQLException {
        final ExportSeal seal = ExportSeal.read(connection);
        int exported = 0;
        for (final String tenant : tenants()) {
            if (tenantOrNull == null || tenantOrNull.equals(tenant)) {
                exportTenant(tenant, includeMemories, seal, sink);
                exported++;
            }
        }
        return exported;
    }

    private List<String> tenants() throws SQLException {
        final List<String> tenants = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT tenant_id FROM tenants ORDER BY tenant_id");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                tenants.add(rs.getString(1));
            }
        }
        return tenants;
    }

    private void exportTenant(
            final String tenant, final boolean includeMemories, final ExportSeal seal, final ExportSink sink)
            throws SQLException {
        sink.beginTenant(ChainHeads.read(connection, tenant), seal);
        for (final LoadTable table : LoadTable.values()) {
            if (table != LoadTable.MEMORIES || includeMemories) {
                stream(tenant, table, sink);
            }
        }
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT memory_id FROM forgotten_memories WHERE tenant_id = ? ORDER BY memory_id")) {
            ps.setFetchSize(Math.min(chunkRows, 10_000));
            ps.setString(1, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    sink.forgottenMemory(rs.getLong(1));
                }
            }
        }
        sink.endTenant();
    }

    private void stream(final String tenant, final LoadTable table, final ExportSink sink) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(table.sql())) {
            ps.setFetchSize(Math.min(chunkRows, 10_000));
            ps.setString(1, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                List<Object> chunk = new ArrayList<>();
                while (rs.next()) {
                    chunk.add(table.read(rs));
                    if (chunk.size() == chunkRows) {
                        sink.delta(table.wrap(chunk));
                        chunk = new ArrayList<>();
                    }
                }
                if (!chunk.isEmpty()) {
                    sink.delta(table.wrap(chunk));
                }
            }
        }
    }
}
