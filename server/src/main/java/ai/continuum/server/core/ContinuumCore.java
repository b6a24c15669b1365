package ai.continuum.server.core;

import ai.continuum.engine.ApplyResult;
import ai.continuum.engine.ConceptKeys;
import ai.continuum.engine.Delta;
import ai.continuum.engine.MemoryEngine;
import ai.continuum.engine.RecallResult;
import ai.continuum.engine.Turn;
import ai.continuum.server.metrics.ContinuumMetrics;
import ai.continuum.server.storage.ImportJob;
import ai.continuum.server.storage.ImportMode;
import ai.continuum.server.storage.ImportOutcome;
import ai.continuum.server.storage.Storage;
import ai.continuum.server.storage.StorageOp;
import ai.continuum.server.storage.StorageUnavailableException;

import org.agrona.collections.LongArrayList;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Learn, store, forget and recall over the engine and storage, in an order that loses nothing acknowledged.
 *
 * <h2>Write order</h2>
 * A durable write is <em>committed first and applied to the engine second</em>: the op is queued to storage, and when
 * its batch commits, the delta is handed to the engine-apply thread, which applies committed ops one at a time in
 * commit order (commits complete in order on the storage writer, which hands them over in that order); the request
 * answers after both. The storage writer thus spends its time on SQL only. Therefore:
 * <ul>
 *   <li>a 200 means the turn is in SQL and visible to recall;</li>
 *   <li>a queue-full or failed commit (503) changed nothing, neither in SQL nor in the engine, so a client that
 *       retries does not count the turn twice;</li>
 *   <li>a commit that outlives the request's wait ({@link #COMMIT_WAIT}) still reaches the engine when it lands
 *       (the apply is chained to the commit, not to the waiting request); only this rare timeout, answered 503, can
 *       make a retry count a turn twice (a commit whose answer the connection lost is such a commit: the storage
 *       writer holds it until the database can say whether it landed).</li>
 * </ul>
 * An async write ({@code async=true}) is queued and applied to the engine at once and answered 202 before the commit.
 * If that commit later fails, the engine holds state the database lacks until the next restart rebuilds from SQL;
 * the failure is logged and counted ({@code continuum_learn_operations_total{result="commit_failed"}}). That is the
 * contract callers choose with async.
 *
 * <p>Thread-safe; see the package description.
 */
public final class ContinuumCore {
    /** How long a request waits for its commit before answering 503. */
    public static final Duration COMMIT_WAIT = Duration.ofSeconds(30);
    private static final Logger LOG = Logger.getLogger(ContinuumCore.class.getName());

    private final MemoryEngine engine;
    private final Storage storage;
    private final ContinuumMetrics metrics;
    private final MemoryIds ids = new MemoryIds(System::currentTimeMillis);
    private final AtomicLong asyncFailures = new AtomicLong();
    /**
     * Applies committed ops to the engine, in commit order (a single thread fed in the order commits complete).
     * Daemon: at shutdown storage drains its queue into SQL, and what the engine misses then is rebuilt at start.
     */
    private final ExecutorService engineApply = Executors.newSingleThreadExecutor(r -> {
        final Thread t = new Thread(r, "continuum-engine-apply");
        t.setDaemon(true);
        return t;
    });
    /** Written once by {@link #rebuild} on the starting thread; read by readiness checks on request threads. */
    private volatile boolean loaded;

    public ContinuumCore(final MemoryEngine engine, final Storage storage, final ContinuumMetrics metrics) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.storage = Objects.requireNonNull(storage, "storage");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    public MemoryEngine engine() {
        return engine;
    }

    public Storage storage() {
        return storage;
    }

    /**
     * Loads every tenant's stored state into the engine, then the tombstones of forgotten memories (so a replayed
     * old delta cannot revive one); {@link #loaded()} turns true when done. A bulk load: adjacency order is restored
     * once per concept at the end instead of after every delta.
     */
    public long rebuild() {
        final AtomicLong deltas = new AtomicLong();
        try (MemoryEngine.BulkLoad load = engine.bulkLoad()) {
            storage.load((tenant, delta) -> {
                load.apply(tenant, delta);
                deltas.incrementAndGet();
            });
        }
        storage.loadForgottenMemories(engine::forgetMemory);
        // The load streamed the whole database through the heap (GBs of rows at 1M concepts / 5M links) and the
        // collector grew the heap to keep up; what remains live is small. One full collection now (about 70 ms
        // there) hands that memory back to the OS instead of keeping it resident until the heap shrinks by itself:
        // measured, resident memory at ready went from 1.6-2.7 GB to about 1.0 GB (benchmarks/RESULTS.md).
        System.gc();
        loaded = true;
        return deltas.get();
    }

    public boolean loaded() {
        return loaded;
    }

    /** Loaded and the database answers: the readiness condition. */
    public boolean ready() {
        return loaded && storage.isReachable();
    }

    public long nextMemoryId() {
        return ids.next();
    }

    public LearnReceipt learn(final String tenant, final Turn turn, final boolean async) {
        final Delta delta = engine.prepare(turn);
        try {
            final LearnReceipt receipt = write(tenant, turn.memoryId(), delta, async);
            metrics.learn(tenant, async ? "accepted" : "success");
            return receipt;
        } catch (final RuntimeException e) {
            metrics.learn(tenant, "unavailable");
            throw e;
        }
    }

    /** Stores a memory without extraction: a delta holding only the memory. */
    public LearnReceipt store(final String tenant, final Delta.MemoryDelta memory) {
        final Delta delta = new Delta(List.of(), List.of(), List.of(), List.of(memory), List.of());
        return write(tenant, memory.id(), delta, false);
    }

    public RecallResult recall(final String tenant, final String query, final int maxConcepts, final int maxMemories) {
        final RecallResult result = engine.recall(tenant, query, maxConcepts, maxMemories);
        metrics.recall(tenant, result.concepts().isEmpty() && result.memories().isEmpty() ? "empty" : "hit");
        return result;
    }

    /** Forgets one memory; false when the tenant has no such memory. */
    public boolean forgetMemory(final String tenant, final long memoryId) {
        if (engine.memory(tenant, memoryId).isEmpty() && storage.memory(tenant, memoryId).isEmpty()) {
            return false;
        }
        commitThen(new StorageOp.ForgetMemory(tenant, memoryId), ignored -> engine.forgetMemory(tenant, memoryId));
        return true;
    }

    /** Forgets one concept (any case) with its links and postings; false when the tenant has no such concept. */
    public boolean forgetConcept(final String tenant, final String name) {
        if (engine.concept(tenant, name, 0).isEmpty()) {
            return false;
        }
        commitThen(new StorageOp.ForgetConcept(tenant, ConceptKeys.normalize(name)),
            ignored -> engine.forgetConcept(tenant, name));
        return true;
    }

    /**
     * Imports one tenant's content: committed first (one transaction, ordered with every other write), then applied
     * to the engine on the engine-apply thread, in commit order, by replaying the same content: a merge applies it as
     * learned deltas; a replace drops the tenant from the engine first and restores its tombstones after. Recall of
     * that tenant sees the content arrive progressively during the engine step. Waits for both, however long.
     */
    public ImportOutcome importState(final ImportJob job) {
        final CompletableFuture<ImportOutcome> done = storage.importState(job).thenApplyAsync(outcome -> {
            if (outcome.applied()) {
                applyImport(job);
            }
            return outcome;
        }, engineApply);
        try {
            return done.get();
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageUnavailableException("interrupted while importing into tenant " + job.tenant(), e);
        } catch (final ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new StorageUnavailableException("the import failed: " + e.getCause(), e.getCause());
        }
    }

    private void applyImport(final ImportJob job) {
        final String tenant = job.tenant();
        final LongArrayList forgotten = new LongArrayList();
        if (job.mode() == ImportMode.REPLACE) {
            engine.dropTenant(tenant);
            storage.loadForgottenMemories((t, id) -> {
                if (t.equals(tenant)) {
                    forgotten.addLong(id);
                }
            });
        }
        try (MemoryEngine.BulkLoad load = engine.bulkLoad()) {
            job.source().replay(new ImportJob.Visitor() {
                @Override
                public void delta(final Delta delta) {
                    load.apply(tenant, delta);
                }

                @Override
                public void forgottenMemory(final long memoryId) {
                    forgotten.addLong(memoryId);
                }
            });
        } catch (final IOException | SQLException | RuntimeException e) {
            LOG.log(Level.SEVERE, "the import into tenant " + tenant + " is committed but could not be replayed "
                + "into memory; recall misses part of it until the next restart", e);
            return;
        }
        forgotten.forEachOrderedLong(id -> engine.forgetMemory(tenant, id));
    }

    /** Async commits that failed after their request was answered. */
    public long asyncFailures() {
        return asyncFailures.get();
    }

    private LearnReceipt write(final String tenant, final long memoryId, final Delta delta, final boolean async) {
        final long startNs = System.nanoTime();
        if (async) {
            final CompletableFuture<Storage.ContinuityHead> commit = storage.submit(new StorageOp.Apply(tenant, delta));
            final ApplyResult applied = engine.apply(tenant, delta);
            commit.whenComplete((head, error) -> {
                metrics.commitLatency(System.nanoTime() - startNs);
                if (error != null) {
                    asyncFailures.incrementAndGet();
                    metrics.learn(tenant, "commit_failed");
                    LOG.log(Level.SEVERE, "async write of memory " + memoryId + " for tenant " + tenant
                        + " was not committed; it stays in memory until restart", error);
                }
            });
            return new LearnReceipt(memoryId, delta, applied, false);
        }
        final ApplyResult applied = commitThen(new StorageOp.Apply(tenant, delta), ignored -> engine.apply(tenant,
            delta));
        return new LearnReceipt(memoryId, delta, applied, true);
    }

    /**
     * Queues {@code op}, runs {@code onCommitted} on the engine-apply thread once the op is durable, and waits for
     * both. Throws {@link ai.continuum.server.storage.QueueFullException} when nothing was queued and
     * {@link StorageUnavailableException} when the commit failed or did not finish in time.
     */
    private <T> T commitThen(final StorageOp op, final Function<Storage.ContinuityHead, T> onCommitted) {
        final long startNs = System.nanoTime();
        final CompletableFuture<T> done = storage.submit(op).thenApplyAsync(head -> {
            metrics.commitLatency(System.nanoTime() - startNs);
            return onCommitted.apply(head);
        }, engineApply);
        try {
            return done.get(COMMIT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageUnavailableException("interrupted while waiting for the commit of " + describe(op), e);
        } catch (final TimeoutException e) {
            throw new StorageUnavailableException("the commit of " + describe(op) + " did not finish within "
                + COMMIT_WAIT.toSeconds() + " s; it is applied if it completes", e);
        } catch (final ExecutionException e) {
            final Throwable cause = e.getCause();
            if (cause instanceof StorageUnavailableException unavailable) {
                throw unavailable;
            }
            throw new StorageUnavailableException("the commit of " + describe(op) + " failed: " + cause, cause);
        }
    }

    private static String describe(final StorageOp op) {
        return op.getClass().getSimpleName() + " for tenant " + op.tenant();
    }
}
