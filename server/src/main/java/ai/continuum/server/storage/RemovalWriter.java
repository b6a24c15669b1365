package ai.continuum.server.storage;

import ai.continuum.engine.Delta;
import ai.continuum.engine.EngineConfig;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The deleting ops: forget a memory, forget a concept, prune weak links. Each mirrors what the engine does for the
 * same op, so storage and engine stay equal. The caller has written every earlier op of the transaction first.
 *
 * <p>Thread safety: confined to the writer thread; one instance per transaction.
 */
final class RemovalWriter {
    private static final double MILLIS_PER_DAY = 86_400_000.0;

    private final Statements statements;
    private final EngineConfig engine;
    private final long nowMillis;

    RemovalWriter(final Statements statements, final EngineConfig engine, final long nowMillis) {
        this.statements = statements;
        this.engine = engine;
        this.nowMillis = nowMillis;
    }

    /**
     * Deletes the memory, its decisions and its stored vectors, leaves a tombstone so no later delta revives it, and redacts its text
     * from the change log: in every logged op that carried the memory, its user, assistant and thinking text, its
     * metadata and its decisions' text become empty. The row keeps its payload digest, so the chain still verifies.
     */
    void forgetMemory(final StorageOp.ForgetMemory f) throws SQLException {
        statements.execute("DELETE FROM messages WHERE tenant_id = ? AND id = ?", f.tenant(), f.memoryId());
        statements.execute("DELETE FROM decisions WHERE tenant_id = ? AND memory_id = ?", f.tenant(), f.memoryId());
        statements.execute(
                "DELETE FROM memory_vectors WHERE tenant_id = ? AND memory_id = ?", f.tenant(), f.memoryId());
        redactFromLog(f.tenant(), f.memoryId());
        final PreparedStatement ps = statements.prepared("INSERT INTO forgotten_memories (tenant_id, memory_id, "
                + "forgotten_at) VALUES (?, ?, ?) ON CONFLICT (tenant_id, memory_id) DO NOTHING");
        ps.setString(1, f.tenant());
        ps.setLong(2, f.memoryId());
        ps.setLong(3, nowMillis);
        ps.executeUpdate();
    }

    /** Deletes the tenant's state rows; tombstones, change log and memory origins stay (see the op). */
    void clearTenant(final StorageOp.ClearTenant c) throws SQLException {
        for (final String table : List.of(
                "memory_vectors", "decisions", "messages", "compound_concepts", "attention_links", "entities")) {
            final PreparedStatement ps = statements.prepared("DELETE FROM " + table + " WHERE tenant_id = ?");
            ps.setString(1, c.tenant());
            ps.executeUpdate();
        }
    }

    private void redactFromLog(final String tenant, final long memoryId) throws SQLException {
        final Map<Long, String> redacted = new HashMap<>();
        final PreparedStatement find = statements.prepared("SELECT c.seq, c.payload FROM memory_origins o "
                + "JOIN change_log c ON c.tenant_id = o.tenant_id AND c.seq = o.seq "
                + "WHERE o.tenant_id = ? AND o.memory_id = ?");
        find.setString(1, tenant);
        find.setLong(2, memoryId);
        try (ResultSet rs = find.executeQuery()) {
            while (rs.next()) {
                if (OpCodec.decode(rs.getString(2)) instanceof StorageOp.Apply a) {
                    redacted.put(
                            rs.getLong(1),
                            OpCodec.encodeToString(new StorageOp.Apply(tenant, withoutText(a.delta(), memoryId))));
                }
            }
        }
        final PreparedStatement update = statements.prepared(
                "UPDATE change_log SET payload = ?, redacted_at = ? WHERE tenant_id = ? AND seq = ?");
        for (final Map.Entry<Long, String> e : redacted.entrySet()) {
            update.setString(1, e.getValue());
            update.setLong(2, nowMillis);
            update.setString(3, tenant);
            update.setLong(4, e.getKey());
            update.addBatch();
        }
        if (!redacted.isEmpty()) {
            update.executeBatch();
        }
        statements.execute("DELETE FROM memory_origins WHERE tenant_id = ? AND memory_id = ?", tenant, memoryId);
    }

    /** {@code d} with the text of memory {@code memoryId} and of its decisions emptied; ids and times stay. */
    static Delta withoutText(final Delta d, final long memoryId) {
        final List<Delta.MemoryDelta> memories = new ArrayList<>(d.memories().size());
        for (final Delta.MemoryDelta m : d.memories()) {
            memories.add(
                    m.id() != memoryId
                            ? m
                            : new Delta.MemoryDelta(
                                    m.id(), m.sessionId(), "", "", "", "", m.timeMillis(), m.concepts()));
        }
        final List<Delta.DecisionDelta> decisions =
                new ArrayList<>(d.decisions().size());
        for (final Delta.DecisionDelta dd : d.decisions()) {
            decisions.add(
                    dd.memoryId() != memoryId
                            ? dd
                            : new Delta.DecisionDelta(dd.memoryId(), dd.ordinal(), "", dd.timeMillis()));
        }
        return new Delta(d.concepts(), d.links(), d.compounds(), memories, decisions);
    }

    /**
     * Removes the concept, every link touching it, every compound it is a component of, and its postings: the key is
     * taken out of the concept lists of the memories that mention it (the memories themselves stay). This is what
     * the engine's forget does, so a rebuild from storage gives the engine the state it had after the forget.
     */
    void forgetConcept(final StorageOp.ForgetConcept f) throws SQLException {
        final String tenant = f.tenant();
        final String key = f.conceptKey();
        statements.execute("DELETE FROM entities WHERE tenant_id = ? AND key = ?", tenant, key);
        statements.execute("DELETE FROM attention_links WHERE tenant_id = ? AND concept_a = ?", tenant, key);
        statements.execute("DELETE FROM attention_links WHERE tenant_id = ? AND concept_b = ?", tenant, key);
        final List<String> compoundKeys = new ArrayList<>();
        forEachListContaining(
                "compound_concepts",
                "components_key",
                "component_concepts",
                tenant,
                key,
                (id, concepts) -> compoundKeys.add(id));
        if (!compoundKeys.isEmpty()) {
            final PreparedStatement delete =
                    statements.prepared("DELETE FROM compound_concepts WHERE tenant_id = ? AND components_key = ?");
            for (final String k : compoundKeys) {
                delete.setString(1, tenant);
                delete.setString(2, k);
                delete.addBatch();
            }
            delete.executeBatch();
        }
        final Map<String, String> rewritten = new HashMap<>();
        forEachListContaining("messages", "id", "concepts", tenant, key, (id, concepts) -> {
            concepts.removeIf(key::equals);
            rewritten.put(id, OpCodec.encodeStrings(concepts));
        });
        if (!rewritten.isEmpty()) {
            final PreparedStatement update =
                    statements.prepared("UPDATE messages SET concepts = ? WHERE tenant_id = ? AND id = ?");
            for (final Map.Entry<String, String> e : rewritten.entrySet()) {
                update.setString(1, e.getValue());
                update.setString(2, tenant);
                update.setLong(3, Long.parseLong(e.getKey()));
                update.addBatch();
            }
            update.executeBatch();
        }
    }

    /** Receives a row's identity (as text) and its decoded JSON key list, which it may modify. */
    @FunctionalInterface
    private interface ListVisitor {
        void visit(String id, List<String> keys);
    }

    /**
     * Visits the rows of {@code table} of {@code tenant} whose JSON key list ({@code listColumn}) holds {@code key}:
     * a LIKE on the key's JSON spelling narrows the rows, the decoded list decides.
     */
    private void forEachListContaining(
            final String table,
            final String idColumn,
            final String listColumn,
            final String tenant,
            final String key,
            final ListVisitor visitor)
            throws SQLException {
        final String element = OpCodec.encodeStrings(List.of(key));
        final String jsonString = element.substring(1, element.length() - 1);
        final PreparedStatement find = statements.prepared("SELECT " + idColumn + ", " + listColumn + " FROM " + table
                + " WHERE tenant_id = ? AND " + listColumn + " LIKE ?" + LikePatterns.ESCAPE_CLAUSE);
        find.setString(1, tenant);
        find.setString(2, LikePatterns.contains(jsonString));
        try (ResultSet rs = find.executeQuery()) {
            while (rs.next()) {
                final List<String> keys = new ArrayList<>(OpCodec.decodeStrings(rs.getString(2)));
                if (keys.contains(key)) {
                    visitor.visit(rs.getString(1), keys);
                }
            }
        }
    }

    /**
     * Deletes the links the engine prunes: effective strength ({@link EngineConfig#strength}) strictly below the
     * threshold at the op's time. Without time decay (configured off, or not applied by the op) strength grows with
     * count alone, so one range delete does it; with decay every link of the tenant is evaluated here, in Java, with
     * the engine's own formula.
     */
    void prune(final StorageOp.PruneLinks p) throws SQLException {
        if (!engine.timeDecayEnabled() || !p.applyDecay()) {
            final long below = largestCountBelow(p.threshold());
            if (below >= 1) {
                statements.execute("DELETE FROM attention_links WHERE tenant_id = ? AND count <= ?", p.tenant(), below);
            }
            return;
        }
        final List<String[]> doomed = new ArrayList<>();
        final PreparedStatement scan = statements.prepared(
                "SELECT concept_a, concept_b, count, last_seen FROM attention_links WHERE tenant_id = ?");
        scan.setString(1, p.tenant());
        try (ResultSet rs = scan.executeQuery()) {
            while (rs.next()) {
                final int count = (int) Math.min(Integer.MAX_VALUE, rs.getLong(3));
                final double days = (p.nowMillis() - rs.getLong(4)) / MILLIS_PER_DAY;
                if (engine.strength(count, days) < p.threshold()) {
                    doomed.add(new String[] {rs.getString(1), rs.getString(2)});
                }
            }
        }
        if (!doomed.isEmpty()) {
            final PreparedStatement delete = statements.prepared(
                    "DELETE FROM attention_links WHERE tenant_id = ? AND concept_a = ? AND concept_b = ?");
            for (final String[] pair : doomed) {
                delete.setString(1, p.tenant());
                delete.setString(2, pair[0]);
                delete.setString(3, pair[1]);
                delete.addBatch();
            }
            delete.executeBatch();
        }
    }

    /** The largest count whose undecayed strength is below {@code threshold}, or 0 if none (it rises with count). */
    private long largestCountBelow(final double threshold) {
        if (engine.strength(1, 0.0) >= threshold) {
            return 0;
        }
        int low = 1;
        int high = Integer.MAX_VALUE;
        if (engine.strength(high, 0.0) < threshold) {
            return Long.MAX_VALUE;
        }
        while (high - low > 1) {
            final int mid = low + (high - low) / 2;
            if (engine.strength(mid, 0.0) < threshold) {
                low = mid;
            } else {
                high = mid;
            }
        }
        return low;
    }
}
