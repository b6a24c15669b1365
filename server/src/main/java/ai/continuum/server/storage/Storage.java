package ai.continuum.server.storage;

import java.util.List;
import javax.sql.DataSource;

/**
 * The SQL side of Continuum. The engine holds the live state; storage makes it durable (write-behind, group commit)
 * and gives it back on start. Its callers each use one role: {@link StorageWrites} (the write path),
 * {@link StorageLoading} (the rebuild at start), {@link StorageReads} (request reads), {@link StorageMaintenance}
 * (export, verify, optimize) and {@link ChangeFeed} (following other instances, the event stream); whoever opens a
 * storage holds all of them and closes it.
 *
 * <p>Thread safety: every method may be called from any request thread. Ops are committed in the order
 * {@link #submit} accepted them.
 */
public interface Storage
        extends StorageWrites, StorageLoading, StorageReads, StorageMaintenance, ChangeFeed, AutoCloseable {

    /** Whether the database answers now, for reads and writes. Cheap. */
    boolean isReachable();

    @Override
    default boolean isReadable() {
        return isReachable();
    }

    @Override
    default boolean acceptsWrites() {
        return isReachable();
    }

    /**
     * The pool over this store's database, for the federation node's tables only ({@code federation_*}, migration
     * V10): they hold this deployment's membership, which every process on the database shares.
     */
    DataSource federationPool();

    @Override
    void close();

    record Page<T>(List<T> items, long total) {}

    /**
     * A filter and page over a tenant's memories.
     *
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
