package ai.continuum.server.core;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Keeps async writes applied ahead of their commit ({@link EngineApplier#applyAhead}) from being undone by a deleting
 * write of the same tenant (a forgotten concept, a prune, a replace-import's clear) that commits before them.
 *
 * <p>The hazard: a delete is queued, an async write of its tenant is queued behind it (so it commits later in the
 * chain) and applied to the engine at once; the delete, applied after its commit, then removes what the write added,
 * and the write's own op is skipped as already applied. The database holds the write; the engine does not, until a
 * restart.
 *
 * <p>Invariant: an async write is applied ahead only if it was queued before every delete of its tenant that has not
 * yet been applied. An async write queues (commit, then apply ahead) under the read lock and checks that no delete of
 * its tenant is in flight; a delete is counted under the write lock before it is queued, and stops counting once it
 * was applied (or failed). So a write that saw no delete was queued, and its apply ahead enqueued on the applier,
 * before the delete was queued: it commits earlier in the chain, and the applier runs it first, as every other engine
 * does. A write that sees a delete in flight is applied at its chain position, after it.
 *
 * <p>Not covered: a delete whose commit outlasts its caller's wait (answered {@code outcome_unknown}) stops counting
 * then, so an async write queued after that moment may still be applied ahead of it. On a database other instances
 * write, nothing is applied ahead at all ({@link EngineApplier#followOthers}).
 */
final class DeletingWrites {
    private final ReentrantReadWriteLock order = new ReentrantReadWriteLock();
    /** Tenant to its deletes queued and not yet applied; absent at zero. */
    private final ConcurrentHashMap<String, Integer> inFlight = new ConcurrentHashMap<>();

    /** Queues an async write: {@code queue} is told whether it may apply the write ahead of its commit. */
    <T> T queueAsync(final String tenant, final Function<Boolean, T> queue) {
        order.readLock().lock();
        try {
            return queue.apply(!inFlight.containsKey(tenant));
        } finally {
            order.readLock().unlock();
        }
    }

    /** Runs a deleting write of {@code tenant} that returns once the engine applied it (or it failed). */
    <T> T delete(final String tenant, final Supplier<T> write) {
        order.writeLock().lock();
        try {
            inFlight.merge(tenant, 1, Integer::sum);
        } finally {
            order.writeLock().unlock();
        }
        try {
            return write.get();
        } finally {
            inFlight.computeIfPresent(tenant, (t, n) -> n == 1 ? null : n - 1);
        }
    }
}
