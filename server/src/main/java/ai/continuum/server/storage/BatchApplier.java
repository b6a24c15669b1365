package ai.continuum.server.storage;

import ai.continuum.engine.Delta;
import ai.continuum.engine.EngineConfig;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
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
 * batches are written before it runs, so it sees every earlier op of the transaction; and the tenant's chain position
 * is taken before any op's SQL ({@link #apply}), so it also sees every op of another transaction ordered before it.
 *
 * <p>Plain JDBC, not Helidon DbClient: statements are prepared once per connection ({@link Statements}) and rows
 * sent as JDBC batches. Measured here on SQLite (20,000 link upserts in one transaction): JDBC batches 117k-185k rows/s, DbClient
 * {@code DbTransaction.dml} 9k-26k rows/s, since DbClient prepares every statement per call and has no batches.
 *
 * <p>Thread safety: confined to the writer thread; one instance per transaction.
 */
final class BatchApplier {
    /** First-seen time of an unseen concept, known only from a link, compound or memory (as in the engine). */
    static final long UNSEEN = Long.MAX_VALUE;

    private static final String INSERT_PLACEHOLDER = "INSERT INTO entities (tenant_id, key, name, entity_type, "
            + "description, created_at) VALUES (?, ?, ?, 'concept', '', ?) ON CONFLICT (tenant_id, key) DO NOTHING";
    /**
     * Insert-if-absent. Plain {@code INSERT ... VALUES}, so the PostgreSQL driver sends a batch of them as multi-row
     * statements ({@code reWriteBatchedInserts}); memories with a tombstone are left out before, by
     * {@link #FORGOTTEN_IN_RANGE}, rather than by a {@code NOT EXISTS} per row, which made each row a statement of its
     * own.
     */
    private static final String INSERT_MEMORY = "INSERT INTO messages (tenant_id, id, session_id, user_message, "
            + "ai_response, thinking, metadata, created_at, concepts, search_text) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tenant_id, id) DO NOTHING";

    private static final String INSERT_DECISION = "INSERT INTO decisions (tenant_id, memory_id, ordinal, text, "
            + "created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (tenant_id, memory_id, ordinal) DO NOTHING";
    /**
     * The tombstones among a delta's memory ids, read once per tenant and flush: the ids of one commit's learns are
     * consecutive, so one range read (by primary key) finds every tombstone that must keep a memory out. It runs in the
     * writer's transaction after the tenant's row is locked (PostgreSQL) or the write lock taken (SQLite), and after
     * every earlier op of the batch was written, so it sees the tombstones a {@code NOT EXISTS} per row would see.
     */
    private static final String FORGOTTEN_IN_RANGE =
            "SELECT memory_id FROM forgotten_memories WHERE tenant_id = ? AND memory_id BETWEEN ? AND ?";

    private static final String INSERT_CHANGE = "INSERT INTO change_log (tenant_id, seq, kind, payload, "
            + "payload_digest, prev_hash, hash, committed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String INSERT_ORIGIN = "INSERT INTO memory_origins (tenant_id, memory_id, seq) "
            + "VALUES (?, ?, ?) ON CONFLICT (tenant_id, memory_id, seq) DO NOTHING";

    private final SqlDialect dialect;
    private final Statements statements;
    private final RemovalWriter removals;
    private final long nowMillis;
    private final Map<String, Head> heads = new HashMap<>();
    /** Deltas of consecutive Apply ops not yet written, per tenant, in arrival order. */
    private final Map<String, List<Delta>> pendingDeltas = new LinkedHashMap<>();

    private final String upsertEntity;
    private final String upsertLink;
    private final String upsertCompound;
    private final String upsertTenant;

    /** A tenant's chain position within this transaction. */
    @SuppressWarnings("ArrayRecordComponent") // the chain hash, read and replaced whole; never compared as a record
    private record Head(long seq, byte[] hash) {}

    /** Starts a transaction on the connection of {@code statements}, whose own transaction it joins. */
    BatchApplier(final Statements statements, final SqlDialect dialect, final EngineConfig engine, final long nowMillis)
            throws SQLException {
        this.dialect = dialect;
        this.statements = statements;
        statements.begin();
        this.removals = new RemovalWriter(statements, engine, nowMillis);
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
     * @param encoded the op's canonical bytes and their digest.
     * @return the tenant's chain head after this op.
     */
    Storage.ContinuityHead apply(final StorageOp op, final EncodedOp encoded) throws SQLException {
        // The chain position before the op's SQL: on PostgreSQL taking it locks the tenant's row until commit, so a
        // deleting op below runs only once every op the chain orders before it has committed, and its statements
        // (each with a fresh snapshot under READ COMMITTED) delete exactly what those ops wrote, as every engine does
        // when it applies the chain in order. A delete run before the lock missed the rows of another instance's
        // write that was still open yet took the earlier position, and could deadlock with it.
        final Head head = lockedHead(op.tenant());
        switch (op) {
            case StorageOp.Apply a ->
                pendingDeltas
                        .computeIfAbsent(a.tenant(), t -> new ArrayList<>())
                        .add(a.delta());
            case StorageOp.ForgetMemory f -> {
                flush();
                removals.forgetMemory(f);
            }
            case StorageOp.ForgetConcept f -> {
                flush();
                removals.forgetConcept(f);
            }
            case StorageOp.PruneLinks p -> {
                flush();
                removals.prune(p);
            }
            case StorageOp.ClearTenant c -> {
                flush();
                removals.clearTenant(c);
            }
        }
        return appendToChain(op, encoded, head);
    }

    /**
     * The tenant's chain head in this transaction, taking the tenant's position in the chain first when this
     * transaction has not yet written to it: the tenant row is upserted before the head is read, and on PostgreSQL the
     * upsert locks the row until commit, so concurrent writers of one tenant (several instances) take turns and each
     * reads the head the previous one committed. On SQLite the writer holds the database's write lock already
     * ({@link WriterConnection#beginWrite}).
     */
    Storage.ContinuityHead chainHead(final String tenant) throws SQLException {
        final Head head = lockedHead(tenant);
        return new Storage.ContinuityHead(tenant, head.seq(), ContinuityChain.hex(head.hash()));
    }

    /**
     * Takes the chain position of each of {@code tenants}, in the order given, before any op of the transaction runs.
     * Called with a batch's tenants sorted by name, so two instances' batches that write the same tenants lock them in
     * one order: locked op by op, a batch of A then B and another of B then A each held the row the other waited for,
     * and PostgreSQL aborted one of them as a deadlock.
     */
    void takeChainPositions(final Iterable<String> tenants) throws SQLException {
        for (final String tenant : tenants) {
            lockedHead(tenant);
        }
    }

    private Head lockedHead(final String tenant) throws SQLException {
        Head head = heads.get(tenant);
        if (head == null) {
            final PreparedStatement ps = statements.prepared(upsertTenant);
            ps.setString(1, tenant);
            ps.setLong(2, nowMillis);
            ps.setLong(3, nowMillis);
            ps.executeUpdate();
            head = storedHead(tenant);
            heads.put(tenant, head);
        }
        return head;
    }

    /**
     * Claims an idempotency key in this transaction ({@link IdempotencyKeys#claim}), with the statement prepared once
     * per connection rather than once per keyed op.
     */
    boolean claim(final IdempotencyClaim claim, final long nowMs) throws SQLException {
        return IdempotencyKeys.claim(statements.prepared(IdempotencyKeys.CLAIM), claim, nowMs);
    }

    /** Each tenant this transaction appended to, with its chain position after the transaction's last op. */
    Map<String, Long> positions() {
        final Map<String, Long> out = new HashMap<>();
        heads.forEach((tenant, head) -> out.put(tenant, head.seq()));
        return out;
    }

    /**
     * Announces the transaction's new chain positions to the other processes of a shared database (PostgreSQL; a
     * no-op on SQLite). Call last before commit: delivery happens at commit.
     *
     * @param origin the committing process's instance number (its own follower skips the announcement: its commits
     *               reach its engine directly), or -1 when every process should follow it.
     */
    void announce(final int origin) throws SQLException {
        if (dialect == SqlDialect.POSTGRESQL) {
            PostgresChangeSignals.announceChanges(
                    statements.prepared(PostgresChangeSignals.ANNOUNCE_CHANGES), origin, positions());
        }
    }

    /** Writes the pending deltas and executes every pending JDBC batch. Call before commit. */
    void flush() throws SQLException {
        for (final Map.Entry<String, List<Delta>> e : pendingDeltas.entrySet()) {
            final List<Delta> deltas = e.getValue();
            applyDelta(e.getKey(), deltas.size() == 1 ? deltas.getFirst() : Delta.merge(deltas));
        }
        pendingDeltas.clear();
        statements.executeBatches();
    }

    private void applyDelta(final String tenant, final Delta d) throws SQLException {
        final Map<String, String> displayNames = new HashMap<>();
        for (final Delta.ConceptDelta c : d.concepts()) {
            final PreparedStatement ps = statements.batched(upsertEntity);
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
            // Like the engine: a key named only by a link, compound or memory exists as an unseen concept that
            // any real sighting replaces (its first-seen time is the largest possible).
            final PreparedStatement ps = statements.batched(INSERT_PLACEHOLDER);
            ps.setString(1, tenant);
            ps.setString(2, key);
            ps.setString(3, key);
            ps.setLong(4, UNSEEN);
            ps.addBatch();
        }
        for (final Delta.LinkDelta l : d.links()) {
            final PreparedStatement ps = statements.batched(upsertLink);
            ps.setString(1, tenant);
            ps.setString(2, l.a());
            ps.setString(3, l.b());
            ps.setLong(4, l.count());
            ps.setLong(5, l.lastSeenMillis());
            ps.addBatch();
        }
        for (final Delta.CompoundDelta c : d.compounds()) {
            final PreparedStatement ps = statements.batched(upsertCompound);
            ps.setString(1, tenant);
            ps.setString(2, c.joinedKey());
            ps.setString(3, compoundName(c.components(), displayNames));
            ps.setString(4, OpCodec.encodeStrings(c.components()));
            ps.setLong(5, c.count());
            ps.setLong(6, c.lastSeenMillis());
            ps.addBatch();
        }
        final Set<Long> forgotten = forgotten(tenant, d);
        for (final Delta.MemoryDelta m : d.memories()) {
            if (forgotten.contains(m.id())) {
                continue;
            }
            final PreparedStatement ps = statements.batched(INSERT_MEMORY);
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
            ps.addBatch();
        }
        for (final Delta.DecisionDelta dd : d.decisions()) {
            if (forgotten.contains(dd.memoryId())) {
                continue;
            }
            final PreparedStatement ps = statements.batched(INSERT_DECISION);
            ps.setString(1, tenant);
            ps.setLong(2, dd.memoryId());
            ps.setInt(3, dd.ordinal());
            ps.setString(4, dd.text());
            ps.setLong(5, dd.timeMillis());
            ps.addBatch();
        }
    }

    /** The ids among {@code d}'s memories and decisions that have a tombstone ({@link #FORGOTTEN_IN_RANGE}). */
    private Set<Long> forgotten(final String tenant, final Delta d) throws SQLException {
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (final Delta.MemoryDelta m : d.memories()) {
            min = Math.min(min, m.id());
            max = Math.max(max, m.id());
        }
        for (final Delta.DecisionDelta dd : d.decisions()) {
            min = Math.min(min, dd.memoryId());
            max = Math.max(max, dd.memoryId());
        }
        if (min > max) {
            return Set.of();
        }
        final PreparedStatement ps = statements.prepared(FORGOTTEN_IN_RANGE);
        ps.setString(1, tenant);
        ps.setLong(2, min);
        ps.setLong(3, max);
        final Set<Long> out = new HashSet<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getLong(1));
            }
        }
        return out;
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

    private Storage.ContinuityHead appendToChain(final StorageOp op, final EncodedOp encoded, final Head head)
            throws SQLException {
        final String tenant = op.tenant();
        final byte[] digest = encoded.digest();
        final byte[] hash = ContinuityChain.link(head.hash(), digest);
        final Head next = new Head(head.seq() + 1, hash);
        heads.put(tenant, next);
        final PreparedStatement ps = statements.batched(INSERT_CHANGE);
        ps.setString(1, tenant);
        ps.setLong(2, next.seq());
        ps.setString(3, OpCodec.kind(op));
        ps.setString(4, new String(encoded.payload(), StandardCharsets.UTF_8));
        ps.setString(5, ContinuityChain.hex(digest));
        ps.setString(6, ContinuityChain.hex(head.hash()));
        ps.setString(7, ContinuityChain.hex(hash));
        ps.setLong(8, nowMillis);
        ps.addBatch();
        if (op instanceof StorageOp.Apply a) {
            // Where each memory's text sits in the log, so forgetting the memory can redact it there too.
            for (final Delta.MemoryDelta m : a.delta().memories()) {
                final PreparedStatement origin = statements.batched(INSERT_ORIGIN);
                origin.setString(1, tenant);
                origin.setLong(2, m.id());
                origin.setLong(3, next.seq());
                origin.addBatch();
            }
        }
        return new Storage.ContinuityHead(tenant, next.seq(), ContinuityChain.hex(hash));
    }

    private Head storedHead(final String tenant) throws SQLException {
        final PreparedStatement ps =
                statements.prepared("SELECT seq, hash FROM change_log WHERE tenant_id = ? ORDER BY seq DESC LIMIT 1");
        ps.setString(1, tenant);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next()
                    ? new Head(rs.getLong(1), ContinuityChain.fromHex(rs.getString(2)))
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
}
