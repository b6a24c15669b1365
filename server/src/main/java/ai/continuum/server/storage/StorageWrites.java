package ai.continuum.server.storage;

import java.util.concurrent.CompletableFuture;

/**
 * Writing: ops and imports queued for the storage writer, committed in the order they were accepted. The role the
 * core's write path and the importers use.
 *
 * <p>Thread safety: every method may be called from any request thread.
 */
public interface StorageWrites {

    /**
     * Queues an op for the background writer.
     *
     * <p>Futures are completed in commit order, one at a time, once the commit is durable: on the writer thread, or on
     * SQLite's log syncer thread when the writer went on to the next batch. A non-async dependent stage therefore runs
     * in commit order too, and must be short (it delays the next batch or the next sync).
     *
     * @return a future completed with the op's continuity position once its batch is committed (durable), or
     *         completed exceptionally with {@link StorageUnavailableException} if the commit failed for good. While
     *         the database refuses writes (after a batch failed for good, until a probe write succeeds), and after
     *         the storage is closed, the future is already failed with {@link StorageUnavailableException}.
     * @throws QueueFullException when the bounded queue is full; nothing was queued.
     * @throws IllegalArgumentException when the op cannot be encoded (a non-finite prune threshold).
     */
    CompletableFuture<Storage.ContinuityHead> submit(StorageOp op);

    /**
     * As {@link #submit(StorageOp)}, committing {@code claim}'s key in the same transaction as the op: if the key is
     * already stored, the op is not applied and the future fails with {@link DuplicateRequestException}.
     */
    CompletableFuture<Storage.ContinuityHead> submit(StorageOp op, IdempotencyClaim claim);

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
    CompletableFuture<ImportOutcome> importState(ImportJob job);

    /** The stored {@code Idempotency-Key}s, committed with the ops they name. */
    IdempotencyKeys idempotencyKeys();

    /** Whether writes are accepted now (false while the database refuses them, e.g. a full disk). Cheap. */
    boolean acceptsWrites();

    /** Ops accepted but not yet committed. */
    int queueDepth();
}
