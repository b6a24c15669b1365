package ai.continuum.server.storage;

import ai.continuum.engine.Delta;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * The SQL side of Continuum. The engine holds the live state; storage makes it durable (write-behind, group commit)
 * and gives it back on start.
 *
 * <p>Thread safety: every method may be called from any request thread. Ops are committed in the order
 * {@link #submit} accepted them.
 */
public interface Storage extends AutoCloseable {

    /**
     * Queues an op for the background writer.
     *
     * <p>Futures are completed on the writer thread, in commit order, right after the commit: a non-async dependent
     * stage therefore runs in commit order too, and must be short (it delays the next batch).
     *
     * @return a future completed with the op's continuity position once its batch is committed (durable), or
     *         completed exceptionally with {@link StorageUnavailableException} if the commit failed for good. While
     *         the database refuses writes (after a batch failed for good, until a probe write succeeds), and after
     *         {@link #close}, the future is already failed with {@link StorageUnavailableException}.
     * @throws QueueFullException when the bounded queue is full; nothing was queued.
     * @throws IllegalArgumentException when the op cannot be encoded (a non-finite prune threshold).
     */
    CompletableFuture<ContinuityHead> submit(StorageOp op);

    /**
     * As {@link #submit(StorageOp)}, committing {@code claim}'s key in the same transaction as the op: if the key is
     * already stored, the op is not applied and the future fails with {@link DuplicateRequestException}.
     */
    default CompletableFuture<ContinuityHead> submit(final StorageOp op, final IdempotencyClaim claim) {
        throw new UnsupportedOperationException("this storage keeps no idempotency keys");
    }

    /** The stored {@code Idempotency-Key}s. */
    default IdempotencyKeys idempotencyKeys() {
        throw new UnsupportedOperationException("this storage keeps no idempotency keys");
    }

    /**
     * Streams every stored tenant's state as deltas of bounded size ({@link StorageSettings#loadChunkRows} items),
     * tenant by tenant, each tenant's concepts first, then links, compounds, memories, decisions. All of it is read in
     * one snapshot. Applying the deltas to an empty engine (e.g. through {@code MemoryEngine.bulkLoad()}) rebuilds the
     * state that produced the writes, checksum for checksum.
     *
     * @return each stored tenant's chain position in the read snapshot: the loaded state is exactly its ops up to
     *         there, so following the change log after these positions misses nothing and repeats nothing.
     */
    SortedMap<String, Long> load(BiConsumer<String, Delta> sink);

    /** Each stored tenant's chain position now (0 for a tenant without ops), sorted by tenant. */
    SortedMap<String, Long> heads();

    /**
     * Opens the wake-ups of a database several processes share (PostgreSQL); empty for a database only this process
     * writes (SQLite). The caller closes what it opened.
     */
    Optional<ChangeSignals> openSignals();

    /** This process's instance number among the processes writing the database ({@link InstanceLease}). */
    InstanceLease instanceLease();

    /**
     * Streams the ids of forgotten memories (tenant, memory id). A delta cannot carry these tombstones, so after
     * {@link #load} the engine should forget each, or replaying an old delta would revive a forgotten memory in the
     * engine while storage keeps it forgotten.
     */
    void loadForgottenMemories(BiConsumer<String, Long> sink);

    /** Memories of one tenant, newest first, filtered. */
    Page<StoredMemory> memories(String tenant, MemoryQuery query);

    Optional<StoredMemory> memory(String tenant, long memoryId);

    ApiKeys apiKeys();

    /** Tenants with stored state, sorted. */
    List<String> tenants();

    /**
     * The change feed: the tenant's committed ops after position {@code afterSeq}, oldest first, at most
     * {@code limit} (1..10,000). Replaying every tenant's feed in order into an empty storage reproduces both the
     * state and the continuity chain (a SQLite to PostgreSQL migration keeps its proof), except that an op whose
     * text a later forget redacted replays to a different hash (the state is the same: the forget follows it).
     */
    List<Change> changes(String tenant, long afterSeq, int limit);

    /**
     * Streams stored state for an export, all of it in one read snapshot: for each tenant (every stored tenant,
     * sorted, when {@code tenantOrNull} is null) its continuity head, its state as {@link #load} gives it (memories only
     * when {@code includeMemories}; decisions always) and its forgotten memory ids.
     *
     * @return the number of tenants exported (0 when the named tenant has no stored state).
     */
    int export(String tenantOrNull, boolean includeMemories, ExportSink sink);

    /**
     * Imports one tenant's state in a single transaction, ordered after every op submitted before it and before every
     * op submitted after it: the import commits whole or not at all. The content is written as ops
     * ({@link StorageOp.ClearTenant} first for a replace, then {@link StorageOp.Apply} chunks and
     * {@link StorageOp.ForgetMemory} for its tombstones), so the change log and continuity chain record it. Skipped,
     * writing nothing, when a merge's source was merged before or is this tenant's own earlier state, or when a
     * replace's source was the last thing written to the tenant.
     *
     * @return completed once committed (or skipped); failed with {@link StorageUnavailableException} when the
     *         database failed, or with {@link IllegalArgumentException} when it rejected the content or the source
     *         could not be read; nothing was written then.
     */
    java.util.concurrent.CompletableFuture<ImportOutcome> importState(ImportJob job);

    ContinuityHead continuity(String tenant);

    /**
     * Recomputes the tenant's hash chain from the stored change log and checks every link (sequence without gaps,
     * each {@code prev_hash} equal to the previous hash, each hash following from its predecessor and payload by
     * {@link ContinuityChain#next}).
     */
    ContinuityCheck verifyContinuity(String tenant);

    /**
     * Refreshes the query planner's statistics and rebuilds indexes; with {@code vacuum}, also reclaims the space of
     * deleted rows (backend specifics in {@link OptimizeReport} and the implementations). Safe beside a running
     * service: it waits for locks at most the busy timeout, then fails with {@link StorageUnavailableException} and
     * leaves the database as it was before the step that could not run.
     */
    OptimizeReport optimize(boolean vacuum);

    /**
     * Names this database and its schema version (see {@code StoreIdentity}): an engine snapshot records it and is
     * loaded only where it is the same.
     *
     * @throws UnsupportedOperationException when this storage cannot name itself (no snapshot is used then).
     */
    default String identity() {
        throw new UnsupportedOperationException("this storage cannot name itself");
    }

    /** Concepts stored over all tenants: sizes the engine's dictionaries before a rebuild. */
    long conceptCount();

    /** Whether the database answers now, for reads and writes. Cheap. */
    boolean isReachable();

    /**
     * Whether stored state can be read now (the database answers and is the one loaded), whatever the writes do:
     * the readiness condition, since recall serves from memory and reads need only this. Cheap.
     */
    default boolean isReadable() {
        return isReachable();
    }

    /** Whether writes are accepted now (false while the database refuses them, e.g. a full disk). Cheap. */
    default boolean acceptsWrites() {
        return isReachable();
    }

    /** Ops accepted but not yet committed. */
    int queueDepth();

    @Override
    void close();

    record Page<T>(List<T> items, long total) {}

    /**
     * @param text       words to look for in the user and assistant text, or null: every whitespace-separated word
     *                   must match, ignoring case; as a substring on SQLite, as a word prefix on PostgreSQL
     *                   ({@code MemoryFilter} defines both).
     * @param sessionId  exact session, or null.
     * @param fromMillis inclusive lower bound on the turn time, or null.
     * @param toMillis   exclusive upper bound, or null.
     */
    record MemoryQuery(String text, String sessionId, Long fromMillis, Long toMillis, int offset, int limit) {}

    record StoredMemory(
            long id,
            String sessionId,
            String userText,
            String aiText,
            String thinking,
            String metadataJson,
            long timeMillis,
            List<String> concepts) {}

    /** One committed op: its chain position, the op, the chain hash after it, and when it was committed. */
    record Change(long seq, StorageOp op, String hashHex, long committedMillis) {}

    /** The head of a tenant's hash chain: {@code length} ops committed, the last one hashing to {@code headHex}. */
    record ContinuityHead(String tenant, long length, String headHex) {}

    /**
     * Outcome of {@link #verifyContinuity}: {@code head} as recomputed up to the first break; {@code brokenAtSeq} the
     * first op whose link does not hold (0 when intact) and {@code problem} what is wrong with it (null when intact);
     * {@code redactedOps} how many verified ops had a forgotten memory's text redacted (checked by digest only).
     */
    record ContinuityCheck(ContinuityHead head, long brokenAtSeq, String problem, long redactedOps) {
        public boolean intact() {
            return brokenAtSeq == 0;
        }
    }
}
