package ai.continuum.server.storage;

import ai.continuum.engine.Delta;
import ai.continuum.engine.EngineConfig;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Writes one batch of ops into an open transaction: the state changes, the change-log rows with their hash-chain
 * links, and the tenants' activity. The caller commits or rolls back.
 *
 * <p>Consecutive {@link StorageOp.Apply} ops are first merged per tenant ({@link Delta#merge}) and then written as
 * JDBC batches per statement: their effects are merges (sums, maxima, earliest-wins, insert-if-absent) that commute,
 * so merging them and grouping the rows by table does not change the result, while a concept or link that recurs
 * across the batch costs one upsert instead of one per op. A forget or prune op is a barrier: pending deltas and
 * batches are written before it runs, so it sees every earlier op.
 *
 * <p>Thread safety: confined to the writer thread; one instance per transaction.
 */
final class BatchApplier implements AutoCloseable {
    private static final double MILLIS_PER_DAY = 86_400_000.0;
    /** First-seen time of a placeholder concept, known only from a link, compound or memory (as in the engine). */
    static final long UNSEEN = Long.MAX_VALUE;

    private final Connection connection;
    private final EngineConfig engine;
    private final long nowMillis;
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    private final List<PreparedStatement> pending = new ArrayList<>();
    private final Map<String, Head> heads = new HashMap<>();
    /** Deltas of consecutive Apply ops not yet written, per tenant, in arrival order. */
    private final Map<String, List<Delta>> pendingDeltas = new LinkedHashMap<>();
    private final String upsertEntity;
    private final String upsertLink;
    private final String upsertCompound;
    private final String upsertTenant;

    /** A tenant's chain position within this transaction. */
    private record Head(long seq, byte[] hash) {
    }

    BatchApplier(final Connection connection, final SqlDialect dialect, final EngineConfig engine, final long nowMillis) {
        this.connection = connection;
        this.engine = engine;
        this.nowMillis = nowMillis;
        // Earliest sighting wins; ties fall to the smaller name, type, description (Delta.ConceptDelta.precedes).
        this.upsertEntity = """
            INSERT INTO entities (tenant_id, key, name, entity_type, description, created_at) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (tenant_id, key) DO UPDATE SET name = excluded.name, entity_type = excluded.entity_type,
                description = excluded.description, created_at = excluded.created_at
            WHERE excluded.created_at < entities.created_at
               OR (excluded.created_at = entities.created_at AND (excluded.name < entities.name
               OR (excluded.name = entities.name AND (excluded.entity_type < entities.entity_type
               OR (excluded.entity_type = entities.entity_type AND excluded.description < entities.description)))))
            """;
        this.upsertLink = "INSERT INTO attention_links (tenant_id, concept_a, concept_b, count, last_seen) "
            + "VALUES (?, ?, ?, ?, ?) ON CONFLICT (tenant_id, concept_a, concept_b) DO UPDATE SET "
            + "count = attention_links.count + excluded.count, "
            + "last_seen = " + dialect.greatest("attention_links.last_seen", "excluded.last_seen");
        this.upsertCompound = "INSERT INTO compound_concepts (tenant_id, components_key, compound_name, "
            + "component_concepts, count, last_seen) VALUES (?, ?, ?, ?, ?, ?) "
            + "ON CONFLICT (tenant_id, components_key) DO UPDATE SET "
            + "count = compound_concepts.count + excluded.count, "
            + "last_seen = " + dialect.greatest("compound_concepts.last_seen", "excluded.last_seen");
        this.upsertTenant = "INSERT INTO tenants (tenant_id, created_at, last_active) VALUES (?, ?, ?) "
            + "ON CONFLICT (tenant_id) DO UPDATE SET last_active = "
            + dialect.greatest("tenants.last_active", "excluded.last_active");
    }

    /**
     * Applies {@code op} and appends it to its tenant's change log.
     *
     * @param payload the op's canonical bytes ({@link OpCodec#encode}).
     * @return the tenant's chain head after this op.
     */
    Storage.ContinuityHead apply(final StorageOp op, final byte[] payload) throws SQLException {
        switch (op) {
            case StorageOp.Apply a -> pendingDeltas.computeIfAbsent(a.tenant(), t -> new ArrayList<>()).add(a.delta());
            case StorageOp.ForgetMemory f -> forgetMemory(f);
            case StorageOp.ForgetConcept f -> forgetConcept(f);
            case StorageOp.PruneLinks p -> prune(p);
        }
        return appendToChain(op, payload);
    }

    /** Writes the pending deltas and executes every pending JDBC batch. Call before commit. */
    void flush() throws SQLException {
        for (final Map.Entry<String, List<Delta>> e : pendingDeltas.entrySet()) {
            final List<Delta> deltas = e.getValue();
            applyDelta(e.getKey(), deltas.size() == 1 ? deltas.getFirst() : Delta.merge(deltas));
        }
        pendingDeltas.clear();
        for (final PreparedStatement ps : pending) {
            ps.executeBatch();
        }
        pending.clear();
    }

    @Override
    public void close() throws SQLException {
        SQLException first = null;
        for (final PreparedStatement ps : statements.values()) {
            try {
                ps.close();
            } catch (final SQLException e) {
                first = first == null ? e : first;
            }
        }
        statements.clear();
        if (first != null) {
            throw first;
        }
    }

    private void applyDelta(final String tenant, final Delta d) throws SQLException {
        final Map<String, String> displayNames = new HashMap<>();
        for (final Delta.ConceptDelta c : d.concepts()) {
            final PreparedStatement ps = batched(upsertEntity);
            ps.setString(1, tenant);
            ps.setString(2, c.key());
            ps.setString(3, c.displayName());
            ps.setString(4, c.type());
            ps.setString(5, c.description());
            ps.setLong(6, c.firstSeenMillis());
            ps.addBatch();
            displayNames.putIfAbsent(c.key(), c.displayName());
        }
        for (final String key : referencedOnly(d, displayNames.keySet())) {
            // Like the engine: a key named only by a link, compound or memory exists as an unseen placeholder that
            // any real sighting replaces (its first-seen time is the largest possible).
            final PreparedStatement ps = batched("INSERT INTO entities (tenant_id, key, name, entity_type, "
                + "description, created_at) VALUES (?, ?, ?, 'concept', '', ?) ON CONFLICT (tenant_id, key) DO NOTHING");
            ps.setString(1, tenant);
            ps.setString(2, key);
            ps.setString(3, key);
            ps.setLong(4, UNSEEN);
            ps.addBatch();
        }
        for (final Delta.LinkDelta l : d.links()) {
            final PreparedStatement ps = batched(upsertLink);
            ps.setString(1, tenant);
            ps.setString(2, l.a());
            ps.setString(3, l.b());
            ps.setLong(4, l.count());
            ps.setLong(5, l.lastSeenMillis());
            ps.addBatch();
        }
        for (final Delta.CompoundDelta c : d.compounds()) {
            final PreparedStatement ps = batched(upsertCompound);
            ps.setString(1, tenant);
            ps.setString(2, c.joinedKey());
            ps.setString(3, compoundName(c.components(), displayNames));
            ps.setString(4, OpCodec.encodeStrings(c.components()));
            ps.setLong(5, c.count());
            ps.setLong(6, c.lastSeenMillis());
            ps.addBatch();
        }
        for (final Delta.MemoryDelta m : d.memories()) {
            // Insert-if-absent, and never over a tombstone. (SQLite needs the WHERE to parse INSERT-SELECT-UPSERT.)
            final PreparedStatement ps = batched("INSERT INTO messages (tenant_id, id, session_id, user_message, "
                + "ai_response, thinking, metadata, created_at, concepts, search_text) "
                + "SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM forgotten_memories "
                + "WHERE tenant_id = ? AND memory_id = ?) ON CONFLICT (tenant_id, id) DO NOTHING");
            ps.setString(1, tenant);
            ps.setLong(2, m.id());
            ps.setString(3, m.sessionId());
            ps.setString(4, m.userText());
            ps.setString(5, m.aiText());
            ps.setString(6, m.thinking());
            ps.setString(7, m.metadata());
            ps.setLong(8, m.timeMillis());
            ps.setString(9, OpCodec.encodeStrings(List.copyOf(new LinkedHashSet<>(m.concepts()))));
            ps.setString(10, searchText(m.userText(), m.aiText()));
            ps.setString(11, tenant);
            ps.setLong(12, m.id());
            ps.addBatch();
        }
        for (final Delta.DecisionDelta dd : d.decisions()) {
            final PreparedStatement ps = batched("INSERT INTO decisions (tenant_id, memory_id, ordinal, text, "
                + "created_at) SELECT ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM forgotten_memories "
                + "WHERE tenant_id = ? AND memory_id = ?) ON CONFLICT (tenant_id, memory_id, ordinal) DO NOTHING");
            ps.setString(1, tenant);
            ps.setLong(2, dd.memoryId());
            ps.setInt(3, dd.ordinal());
            ps.setString(4, dd.text());
            ps.setLong(5, dd.timeMillis());
            ps.setString(6, tenant);
            ps.setLong(7, dd.memoryId());
            ps.addBatch();
        }
    }

    /** Keys a link, compound or memory of {@code d} names that its concept list does not. */
    private static Set<String> referencedOnly(final Delta d, final Set<String> sighted) {
        final Set<String> out = new TreeSet<>();
        for (final Delta.LinkDelta l : d.links()) {
            out.add(l.a());
            out.add(l.b());
        }
        d.compounds().forEach(c -> out.addAll(c.components()));
        d.memories().forEach(m -> out.addAll(m.concepts()));
        out.removeAll(sighted);
        return out;
    }

    private void forgetMemory(final StorageOp.ForgetMemory f) throws SQLException {
        flush();
        execute("DELETE FROM messages WHERE tenant_id = ? AND id = ?", f.tenant(), f.memoryId());
        execute("DELETE FROM decisions WHERE tenant_id = ? AND memory_id = ?", f.tenant(), f.memoryId());
        final PreparedStatement ps = prepared("INSERT INTO forgotten_memories (tenant_id, memory_id, forgotten_at) "
            + "VALUES (?, ?, ?) ON CONFLICT (tenant_id, memory_id) DO NOTHING");
        ps.setString(1, f.tenant());
        ps.setLong(2, f.memoryId());
        ps.setLong(3, nowMillis);
        ps.executeUpdate();
    }

    /**
     * Removes the concept, every link touching it, every compound it is a component of, and its postings: the key is
     * taken out of the concept lists of the memories that mention it (the memories themselves stay). This is what
     * the engine's forget does, so a rebuild from storage gives the engine the state it had after the forget.
     */
    private void forgetConcept(final StorageOp.ForgetConcept f) throws SQLException {
        flush();
        final String tenant = f.tenant();
        final String key = f.conceptKey();
        execute("DELETE FROM entities WHERE tenant_id = ? AND key = ?", tenant, key);
        execute("DELETE FROM attention_links WHERE tenant_id = ? AND concept_a = ?", tenant, key);
        execute("DELETE FROM attention_links WHERE tenant_id = ? AND concept_b = ?", tenant, key);
        final List<String> compoundKeys = new ArrayList<>();
        forEachListContaining("compound_concepts", "components_key", "component_concepts", tenant, key,
            (id, concepts) -> compoundKeys.add(id));
        if (!compoundKeys.isEmpty()) {
            final PreparedStatement delete = prepared(
                "DELETE FROM compound_concepts WHERE tenant_id = ? AND components_key = ?");
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
            final PreparedStatement update = prepared("UPDATE messages SET concepts = ? WHERE tenant_id = ? AND id = ?");
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
        final String table, final String idColumn, final String listColumn, final String tenant, final String key,
        final ListVisitor visitor) throws SQLException {
        final String element = OpCodec.encodeStrings(List.of(key));
        final String jsonString = element.substring(1, element.length() - 1);
        final PreparedStatement find = prepared("SELECT " + idColumn + ", " + listColumn + " FROM " + table
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
     * threshold at the op's time. Without time decay strength grows with count alone, so one range delete does it;
     * with decay every link of the tenant is evaluated here, in Java, with the engine's own formula.
     */
    private void prune(final StorageOp.PruneLinks p) throws SQLException {
        flush();
        if (!engine.timeDecayEnabled()) {
            final long below = largestCountBelow(p.threshold());
            if (below >= 1) {
                execute("DELETE FROM attention_links WHERE tenant_id = ? AND count <= ?", p.tenant(), below);
            }
            return;
        }
        final List<String[]> doomed = new ArrayList<>();
        final PreparedStatement scan = prepared(
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
            final PreparedStatement delete = prepared(
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

    /** The largest count whose undecayed strength is below {@code threshold}, or 0 if none (strength rises with count). */
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

    private Storage.ContinuityHead appendToChain(final StorageOp op, final byte[] payload) throws SQLException {
        final String tenant = op.tenant();
        Head head = heads.get(tenant);
        if (head == null) {
            head = storedHead(tenant);
            final PreparedStatement ps = prepared(upsertTenant);
            ps.setString(1, tenant);
            ps.setLong(2, nowMillis);
            ps.setLong(3, nowMillis);
            ps.executeUpdate();
        }
        final byte[] hash = ContinuityChain.next(head.hash(), payload);
        final Head next = new Head(head.seq() + 1, hash);
        heads.put(tenant, next);
        final PreparedStatement ps = batched("INSERT INTO change_log (tenant_id, seq, kind, payload, prev_hash, hash, "
            + "committed_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
        ps.setString(1, tenant);
        ps.setLong(2, next.seq());
        ps.setString(3, OpCodec.kind(op));
        ps.setString(4, new String(payload, StandardCharsets.UTF_8));
        ps.setString(5, ContinuityChain.hex(head.hash()));
        ps.setString(6, ContinuityChain.hex(hash));
        ps.setLong(7, nowMillis);
        ps.addBatch();
        return new Storage.ContinuityHead(tenant, next.seq(), ContinuityChain.hex(hash));
    }

    private Head storedHead(final String tenant) throws SQLException {
        final PreparedStatement ps = prepared(
            "SELECT seq, hash FROM change_log WHERE tenant_id = ? ORDER BY seq DESC LIMIT 1");
        ps.setString(1, tenant);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? new Head(rs.getLong(1), ContinuityChain.fromHex(rs.getString(2)))
                : new Head(0, ContinuityChain.seed());
        }
    }

    static String compoundName(final List<String> components, final Map<String, String> displayNames) {
        final StringBuilder b = new StringBuilder();
        for (int i = 0; i < Math.min(3, components.size()); i++) {
            if (i > 0) {
                b.append(" + ");
            }
            b.append(displayNames.getOrDefault(components.get(i), components.get(i)));
        }
        return b.toString();
    }

    static String searchText(final String userText, final String aiText) {
        return (userText + "\n" + aiText).toLowerCase(Locale.ROOT);
    }

    private void execute(final String sql, final String tenant, final Object key) throws SQLException {
        final PreparedStatement ps = prepared(sql);
        ps.setString(1, tenant);
        ps.setObject(2, key);
        ps.executeUpdate();
    }

    private PreparedStatement batched(final String sql) throws SQLException {
        final PreparedStatement ps = prepared(sql);
        if (!pending.contains(ps)) {
            pending.add(ps);
        }
        return ps;
    }

    private PreparedStatement prepared(final String sql) throws SQLException {
        PreparedStatement ps = statements.get(sql);
        if (ps == null) {
            ps = connection.prepareStatement(sql);
            statements.put(sql, ps);
        }
        return ps;
    }
}
