package ai.continuum.server.storage;

import ai.continuum.engine.Delta;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Streams the stored state of every tenant as deltas of at most {@code chunkRows} rows each, per tenant in the order
 * concepts, links, compounds, memories, decisions (so every key a link or memory names has arrived first). Rows come
 * in key order, so the same database always gives the same deltas.
 *
 * <p>All reads run in one read transaction: on SQLite (WAL) and PostgreSQL that is one consistent snapshot, even if
 * the writer commits meanwhile. Thread safety: one instance per load, on the caller's thread.
 */
final class StateLoader {
    /** Maps the current row to a delta item. */
    @FunctionalInterface
    private interface RowReader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private final Connection connection;
    private final int chunkRows;

    StateLoader(final Connection connection, final int chunkRows) {
        this.connection = connection;
        this.chunkRows = chunkRows;
    }

    void loadAll(final BiConsumer<String, Delta> sink) throws SQLException {
        for (final String tenant : tenants()) {
            loadTenant(tenant, true, delta -> sink.accept(tenant, delta));
        }
    }

    /** Stored tenants, sorted. */
    List<String> tenants() throws SQLException {
        final List<String> tenants = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT tenant_id FROM tenants ORDER BY tenant_id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                tenants.add(rs.getString(1));
            }
        }
        return tenants;
    }

    /** One tenant for an export: head, state (memories optional), tombstones; see {@link ExportSink}. */
    void exportTenant(final String tenant, final boolean includeMemories, final ExportSink sink) throws SQLException {
        sink.beginTenant(ChainHeads.read(connection, tenant));
        loadTenant(tenant, includeMemories, sink::delta);
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

    private void loadTenant(final String tenant, final boolean includeMemories, final Consumer<Delta> sink)
        throws SQLException {
        stream(tenant, sink, "SELECT key, name, entity_type, description, created_at FROM entities WHERE tenant_id = ? "
                + "ORDER BY key",
            rs -> new Delta.ConceptDelta(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getLong(5)),
            items -> new Delta(items, List.of(), List.of(), List.of(), List.of()));
        stream(tenant, sink, "SELECT concept_a, concept_b, count, last_seen FROM attention_links WHERE tenant_id = ? "
                + "ORDER BY concept_a, concept_b",
            rs -> new Delta.LinkDelta(rs.getString(1), rs.getString(2), Math.toIntExact(rs.getLong(3)),
                rs.getLong(4)),
            items -> new Delta(List.of(), items, List.of(), List.of(), List.of()));
        stream(tenant, sink, "SELECT component_concepts, count, last_seen FROM compound_concepts WHERE tenant_id = ? "
                + "ORDER BY components_key",
            rs -> new Delta.CompoundDelta(OpCodec.decodeStrings(rs.getString(1)), Math.toIntExact(rs.getLong(2)),
                rs.getLong(3)),
            items -> new Delta(List.of(), List.of(), items, List.of(), List.of()));
        if (includeMemories) {
            stream(tenant, sink, "SELECT id, session_id, user_message, ai_response, thinking, metadata, created_at, "
                    + "concepts FROM messages WHERE tenant_id = ? ORDER BY id",
                rs -> new Delta.MemoryDelta(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                    rs.getString(5), rs.getString(6), rs.getLong(7), OpCodec.decodeStrings(rs.getString(8))),
                items -> new Delta(List.of(), List.of(), List.of(), items, List.of()));
        }
        stream(tenant, sink, "SELECT memory_id, ordinal, text, created_at FROM decisions WHERE tenant_id = ? "
                + "ORDER BY memory_id, ordinal",
            rs -> new Delta.DecisionDelta(rs.getLong(1), rs.getInt(2), rs.getString(3), rs.getLong(4)),
            items -> new Delta(List.of(), List.of(), List.of(), List.of(), items));
    }

    private <T> void stream(
        final String tenant, final Consumer<Delta> sink, final String sql, final RowReader<T> reader,
        final Function<List<T>, Delta> wrap) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setFetchSize(Math.min(chunkRows, 10_000));
            ps.setString(1, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                List<T> chunk = new ArrayList<>();
                while (rs.next()) {
                    chunk.add(reader.read(rs));
                    if (chunk.size() == chunkRows) {
                        sink.accept(wrap.apply(chunk));
                        chunk = new ArrayList<>();
                    }
                }
                if (!chunk.isEmpty()) {
                    sink.accept(wrap.apply(chunk));
                }
            }
        }
    }
}
