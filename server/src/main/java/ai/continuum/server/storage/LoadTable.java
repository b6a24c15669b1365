package ai.continuum.server.storage;

import ai.continuum.engine.Delta;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * One table of the start-up load: its query (one tenant's rows in key order, so the same database always gives the
 * same deltas) and how a row becomes a delta item. Declared in the order the engine needs them: every key a link,
 * compound or memory names is a concept that has arrived before.
 */
enum LoadTable {
    CONCEPTS("SELECT key, name, entity_type, description, created_at FROM entities WHERE tenant_id = ? ORDER BY key") {
        @Override
        Object read(final ResultSet rs) throws SQLException {
            return new Delta.ConceptDelta(
                    rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5));
        }
    },
    LINKS("SELECT concept_a, concept_b, count, last_seen FROM attention_links WHERE tenant_id = ? "
            + "ORDER BY concept_a, concept_b") {
        @Override
        Object read(final ResultSet rs) throws SQLException {
            return new Delta.LinkDelta(rs.getString(1), rs.getString(2), Math.toIntExact(rs.getLong(3)), rs.getLong(4));
        }
    },
    COMPOUNDS("SELECT component_concepts, count, last_seen FROM compound_concepts WHERE tenant_id = ? "
            + "ORDER BY components_key") {
        @Override
        Object read(final ResultSet rs) throws SQLException {
            return new Delta.CompoundDelta(
                    OpCodec.decodeStrings(rs.getString(1)), Math.toIntExact(rs.getLong(2)), rs.getLong(3));
        }
    },
    MEMORIES("SELECT id, session_id, user_message, ai_response, thinking, metadata, created_at, concepts "
            + "FROM messages WHERE tenant_id = ? ORDER BY id") {
        @Override
        Object read(final ResultSet rs) throws SQLException {
            return new Delta.MemoryDelta(
                    rs.getLong(1),
                    rs.getString(2),
                    rs.getString(3),
                    rs.getString(4),
                    rs.getString(5),
                    rs.getString(6),
                    rs.getLong(7),
                    OpCodec.decodeStrings(rs.getString(8)));
        }
    },
    DECISIONS("SELECT memory_id, ordinal, text, created_at FROM decisions WHERE tenant_id = ? "
            + "ORDER BY memory_id, ordinal") {
        @Override
        Object read(final ResultSet rs) throws SQLException {
            return new Delta.DecisionDelta(rs.getLong(1), rs.getInt(2), rs.getString(3), rs.getLong(4));
        }
    };

    private final String sql;

    LoadTable(final String sql) {
        this.sql = sql;
    }

    /** The query; its one parameter is the tenant id. */
    String sql() {
        return sql;
    }

    /** The delta item of the current row: a ConceptDelta for {@link #CONCEPTS}, and so on. */
    abstract Object read(ResultSet rs) throws SQLException;

    /** A delta holding {@code items}, each made by {@link #read} of this table. */
    @SuppressWarnings("unchecked")
    Delta wrap(final List<?> items) {
        return switch (this) {
            case CONCEPTS -> new Delta((List<Delta.ConceptDelta>) items, List.of(), List.of(), List.of(), List.of());
            case LINKS -> new Delta(List.of(), (List<Delta.LinkDelta>) items, List.of(), List.of(), List.of());
            case COMPOUNDS -> new Delta(List.of(), List.of(), (List<Delta.CompoundDelta>) items, List.of(), List.of());
            case MEMORIES -> new Delta(List.of(), List.of(), List.of(), (List<Delta.MemoryDelta>) items, List.of());
            case DECISIONS -> new Delta(List.of(), List.of(), List.of(), List.of(), (List<Delta.DecisionDelta>) items);
        };
    }
}
