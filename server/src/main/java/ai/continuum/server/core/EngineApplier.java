package ai.continuum.server.core;

import ai.continuum.engine.ApplyResult;
import ai.continuum.engine.Delta;
import ai.continuum.engine.MemoryEngine;
import ai.continuum.server.storage.ChangeFeed;
import ai.continuum.server.storage.Storage;
import ai.continuum.server.storage.StorageLoading;
import ai.continuum.server.storage.StorageOp;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.LongConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.agrona.collections.LongArrayList;

/**
 * The engine's one writer: every change of engine state after a commit (this process's own commits, the ops other
 * processes committed to a shared database, imports, the rebuild) runs as a command on one thread, in each tenant's
 * chain order. So "commit order" means one thing everywhere, and each op reaches the engine exactly once.
 *
 * <h2>Positions</h2>
 * The applier knows, per tenant, the chain position up to which the engine holds every op ({@link #applied}). An op
 * at position {@code s} is applied only when the engine is at {@code s - 1}:
 * <ul>
 *   <li>a local commit at {@code s} finds the engine behind (another process committed {@code s - 1}): it reads the
 *       gap from the change log first. The gap is readable: the tenant's row lock made {@code s - 1} commit before
 *       {@code s} read its head;</li>
 *   <li>a local commit at {@code s} finds the engine already there (the follower read it from the log between the
 *       commit and this command): it is not applied again; its result is the one the log apply produced;</li>
 *   <li>the follower ({@link #follow}) applies whatever the log holds after the engine's position.</li>
 * </ul>
 *
 * <p>Thread model: commands run on the single daemon thread {@code continuum-engine-apply}; the position map is
 * confined to it and published to readers through {@link #published}. {@link #close} stops the thread.
 */
public final class EngineApplier implements AutoCloseable {
    /** Log rows read per query while catching up. */
    static final int CATCH_UP_ROWS = 1_000;
    /** Results of log-applied ops kept for their local command, at most (the race that needs one is rare). */
    private static final int RESULTS_KEPT = 4_096;
    /** Consecutive Apply rows at least this many go through one bulk load (adjacency ordered once at the end). */
    private static final int BULK_RUN = 16;

    private static final long RETRY_MS = 200;
    /** How often {@link #whileStill} looks again for an engine without writes applied ahead. */
    private static final long STILL_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private static final Logger LOG = Logger.getLogger(EngineApplier.class.getName());

    private final MemoryEngine engine;
    /** The rebuild's source. */
    private final StorageLoading storage;
    /** Where gaps and other instances' ops are read. */
    private final ChangeFeed feed;

    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        final Thread t = new Thread(r, "continuum-engine-apply");
        t.setDaemon(true);
        return t;
    });
    /** Applier thread only: tenant to the chain position the engine holds. */
    private final Map<String, Long> positions = new HashMap<>();
    /** Applier thread only: outcomes of ops the follower applied before their local command came. */
    private final Map<String, OpOutcome> logResults = new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(final Map.Entry<String, OpOutcome> eldest) {
            return size() > RESULTS_KEPT;
        }
    };
    /**
     * Applier thread only: tenant and memory id of async writes applied ahead of their commit ({@link #applyAhead});
     * their op is skipped when it arrives, from the log or from its local command. Memory ids are unique across
     * instances, so the id names the op.
     */
    private final java.util.Set<String> appliedAhead = new java.util.HashSet<>();
    /** Copy of {@link #positions} for other threads, updated after every change. */
    private final ConcurrentHashMap<String, Long> published = new ConcurrentHashMap<>();
    /** Highest position seen in the database per tenant (heads polled, rows read); for the lag. */
    private final ConcurrentHashMap<String, Long> known = new ConcurrentHashMap<>();

    private final ReentrantLock progressLock = new ReentrantLock();
    private final Condition progressed = progressLock.newCondition();
    /** Told, for every op applied from the log, the milliseconds from its commit to now. */
    private final LongConsumer applyDelayMs;
    /** Told of every op the engine applies at its chain position, after the rebuild (the live event stream). */
    private final ChangeEvents events;

    private volatile boolean closed;
    /**
     * Set once other instances' ops are followed. From then on async writes are applied at their chain position only:
     * applied ahead, a write would precede ops of other instances committed before it (a forgotten concept, say), and
     * skipping its op later would leave this engine different from the stored state.
     */
    private volatile boolean followingOthers;
    /**
     * Callers of {@link #whileStill} waiting for the engine to hold no write applied ahead: while above zero, async
     * writes are applied at their chain position only, so the set drains as their commits arrive.
     */
    private final AtomicInteger holdingAhead = new AtomicInteger();
    /**
     * Set for good when an async write applied ahead was not committed: the engine then holds a write the database
     * does not, until a restart, so its state is no longer "the database up to its positions".
     */
    private volatile boolean aheadOfStore;

    public EngineApplier(
            final MemoryEngine engine,
            final StorageLoading storage,
            final ChangeFeed feed,
            final LongConsumer applyDelayMs,
            final ChangeEvents events) {
        this.engine = engine;
        this.storage = storage;
        this.feed = feed;
        this.applyDelayMs = applyDelayMs;
        this.events = events;
    }

    /**
     * Rebuilds the engine from storage on the applier thread and records the positions the load was read at; waits
     * for it.
     *
     * @return the number of deltas loaded.
     */
    public long rebuild(
            final java.util.function.UnaryOperator<java.util.function.BiConsumer<String, ai.continuum.engine.Delta>>
                    screen) {
        return await(CompletableFuture.supplyAsync(
                () -> {
                    final long[] deltas = {0};
                    final SortedMap<String, Long> heads;
                    try (MemoryEngine.BulkLoad load = engine.bulkLoad()) {
                        heads = storage.load(screen.apply((tenant, delta) -> {
                            load.apply(tenant, delta);
                            deltas[0]++;
                        }));
                    }
                    storage.loadForgottenMemories(engine::forgetMemory);
                    heads.forEach(this::advance);
                    heads.forEach(this::saw);
                    publish();
                    return deltas[0];
                },
                thread));
    }

    /**
     * Records that the engine holds each tenant's ops up to the given position (it was loaded from a snapshot taken
     * there); the ops after it come from the change log ({@link #reach}, {@link #follow}). Waits for it.
     */
    public void startAt(final Map<String, Long> loaded) {
        await(CompletableFuture.runAsync(
                () -> {
                    loaded.forEach(this::advance);
                    loaded.forEach(this::saw);
                    publish();
                },
                thread));
    }

    /**
     * Applies this process's op, committed at {@code head}, in chain order.
     *
     * An op the engine already holds (the follower applied it from the log first) is not applied again: its outcome
     * is the one that apply produced, so a prune answers its own report either way.
     *
     * @return completed on the applier thread with what applying it produced ({@link OpOutcome#NONE} for removals).
     */
    CompletableFuture<OpOutcome> committed(final StorageOp op, final Storage.ContinuityHead head) {
        return CompletableFuture.supplyAsync(
                () -> {
                    final String tenant = op.tenant();
                    final long seq = head.length();
                    saw(tenant, seq);
                    if (seq <= position(tenant)) {
                        final OpOutcome fromLog = logResults.remove(tenant + '\0' + seq);
                        publish();
                        return fromLog != null ? fromLog : OpOutcome.NONE;
                    }
                    catchUp(tenant, seq - 1);
                    final OpOutcome result = applyOp(op);
                    advance(tenant, seq);
                    events.publish(tenant, seq, op);
                    publish();
                    return result;
                },
                thread);
    }

    /**
     * Applies an async write before its commit (the async contract: visible at once, out of chain order); its op is
     * then skipped when it arrives in order. A write without a memory cannot be recognised later and is applied
     * only when committed; so is every async write once {@link #followOthers} was called.
     *
     * <p>The write's commit is queued before this command is, so the write may already be in the engine when the
     * command runs: it committed, and a later commit read it from the log as the gap before its own position. The
     * engine then knows its memory id, and it is not applied again (links and compounds would count it twice).
     */
    public CompletableFuture<ApplyResult> applyAhead(final String tenant, final Delta delta) {
        if (delta.memories().isEmpty() || followingOthers || holdingAhead.get() > 0) {
            return CompletableFuture.completedFuture(ApplyResult.NONE);
        }
        return CompletableFuture.supplyAsync(
                () -> {
                    if (engine.knowsMemory(tenant, delta.memories().getFirst().id())) {
                        return ApplyResult.NONE; // applied from the log, in chain order
                    }
                    appliedAhead.add(aheadKey(tenant, delta));
                    return engine.apply(tenant, delta);
                },
                thread);
    }

    /** Other instances write the same database: async writes wait for their chain position from now on. */
    public void followOthers() {
        followingOthers = true;
    }

    /** The async write applied ahead will not be committed: stop looking for its op. */
    public void abandonAhead(final String tenant, final Delta delta) {
        if (!delta.memories().isEmpty() && !closed) {
            thread.execute(() -> {
                if (appliedAhead.remove(aheadKey(tenant, delta))) {
                    aheadOfStore = true;
                }
            });
        }
    }

    private static String aheadKey(final String tenant, final Delta delta) {
        return tenant + '\0' + delta.memories().getFirst().id();
    }

    /** Brings the tenant's engine up to {@code seq} from the change log (an import this process committed). */
    public CompletableFuture<Void> reach(final String tenant, final long seq) {
        return CompletableFuture.runAsync(
                () -> {
                    saw(tenant, seq);
                    catchUp(tenant, seq);
                    publish();
                },
                thread);
    }

    /** Queues a catch-up of {@code tenant} from the log: called by the follower when the tenant's chain grew. */
    public void follow(final String tenant, final long head) {
        saw(tenant, head);
        if (head <= applied(tenant) || closed) {
            return;
        }
        thread.execute(() -> {
            catchUp(tenant, Long.MAX_VALUE);
            publish();
        });
    }

    /**
     * The tenant's engine checksum ({@link MemoryEngine#checksum}) with the chain position the engine held when it was
     * taken: read on the applier thread between two ops, so the pair always belongs together.
     */
    public CompletableFuture<TenantChecksum> checksum(final String tenant) {
        return CompletableFuture.supplyAsync(
                () -> new TenantChecksum(tenant, position(tenant), engine.checksum(tenant)), thread);
    }

    /**
     * The engine held still by {@link #whileStill}: the positions it holds, until {@link #resume} lets the applier go
     * on.
     */
    public static final class Still {
        private final Map<String, Long> positions;
        private final CountDownLatch resumed = new CountDownLatch(1);

        private Still(final Map<String, Long> positions) {
            this.positions = positions;
        }

        /** Each tenant's chain position the engine holds; the engine holds exactly the database's ops up to them. */
        public Map<String, Long> positions() {
            return positions;
        }

        /** Lets the applier apply ops again; idempotent. */
        public void resume() {
            resumed.countDown();
        }
    }

    /**
     * Runs {@code task} on the calling thread while the engine takes no op, from when it holds exactly the database's
     * ops up to its positions (no async write applied ahead of its commit) until the task calls {@link Still#resume}
     * or ends. Meanwhile async writes wait for their chain position, so the writes applied ahead drain as their
     * commits arrive; the engine's readers go on. The applier thread waits for the task, and every op queued behind it
     * waits too.
     *
     * @return the task's result, or empty when the engine did not settle within {@code patience} (writes applied
     *     ahead whose commits are slow), or can never be written as the database's state ({@link #matchesStore}).
     */
    public <T> Optional<T> whileStill(final Duration patience, final Function<Still, T> task) {
        final long deadline = System.nanoTime() + patience.toNanos();
        holdingAhead.incrementAndGet();
        try {
            while (matchesStore() && !closed) {
                final CompletableFuture<Still> settled = new CompletableFuture<>();
                thread.execute(() -> {
                    if (!appliedAhead.isEmpty()) {
                        settled.complete(null);
                        return;
                    }
                    final Still still = new Still(Map.copyOf(positions));
                    settled.complete(still);
                    awaitUninterruptibly(still.resumed);
                });
                final Still still = await(settled);
                if (still != null) {
                    try {
                        return Optional.of(task.apply(still));
                    } finally {
                        still.resume();
                    }
                }
                if (System.nanoTime() >= deadline) {
                    return Optional.empty();
                }
                LockSupport.parkNanos(STILL_RETRY_NANOS);
            }
            return Optional.empty();
        } finally {
            holdingAhead.decrementAndGet();
        }
    }

    /**
     * Whether the engine's state is the database's up to its positions once the writes applied ahead have committed:
     * false for good after an async write applied ahead failed to commit.
     */
    public boolean matchesStore() {
        return !aheadOfStore;
    }

    private static void awaitUninterruptibly(final CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (final InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** The position the engine holds for {@code tenant} (any thread). */
    public long applied(final String tenant) {
        return published.getOrDefault(tenant, 0L);
    }

    /** Whether the engine holds every op up to each given position. */
    public boolean reached(final Map<String, Long> heads) {
        for (final Map.Entry<String, Long> e : heads.entrySet()) {
            if (applied(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** Waits at most {@code timeoutNanos} until the engine holds {@code tenant}'s ops up to {@code seq}. */
    public boolean awaitApplied(final String tenant, final long seq, final long timeoutNanos) {
        if (applied(tenant) >= seq) {
            return true;
        }
        if (known.getOrDefault(tenant, 0L) < seq) {
            // Announced to nobody here yet (the announcement is in flight or lost): look now.
            follow(tenant, seq);
        }
        long left = timeoutNanos;
        progressLock.lock();
        try {
            while (applied(tenant) < seq) {
                if (left <= 0) {
                    return false;
                }
                left = progressed.awaitNanos(left);
            }
            return true;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            progressLock.unlock();
        }
    }

    /** Ops seen in the database but not yet in the engine, over all tenants. */
    public long lagOps() {
        long behind = 0;
        for (final Map.Entry<String, Long> e : known.entrySet()) {
            behind += Math.max(0, e.getValue() - applied(e.getKey()));
        }
        return behind;
    }

    /** Records that the database holds {@code tenant}'s chain up to {@code seq}. */
    private void saw(final String tenant, final long seq) {
        known.merge(tenant, seq, Math::max);
    }

    private long position(final String tenant) {
        return positions.getOrDefault(tenant, 0L);
    }

    private void advance(final String tenant, final long seq) {
        positions.merge(tenant, seq, Math::max);
    }

    /** Publishes the positions and wakes the readers waiting for one. */
    private void publish() {
        published.putAll(positions);
        progressLock.lock();
        try {
            progressed.signalAll();
        } finally {
            progressLock.unlock();
        }
    }

    /**
     * Applies the tenant's logged ops after the engine's position, up to {@code target} or the end of the log. While
     * the database cannot be read, retries (an op after the gap must not be applied before it); stops when closed.
     */
    private void catchUp(final String tenant, final long target) {
        while (position(tenant) < target && !closed) {
            final long from = position(tenant);
            final List<Storage.Change> rows;
            try {
                rows = feed.changes(tenant, from, (int) Math.min(CATCH_UP_ROWS, target - from));
            } catch (final RuntimeException e) {
                LOG.log(
                        Level.WARNING,
                        "cannot read tenant " + tenant + "'s change log after " + from + "; retrying: "
                                + e.getMessage());
                sleep();
                continue;
            }
            if (rows.isEmpty()) {
                return;
            }
            applyRows(tenant, rows);
            publish();
        }
    }

    private void applyRows(final String tenant, final List<Storage.Change> rows) {
        int i = 0;
        while (i < rows.size()) {
            int end = i;
            while (end < rows.size() && rows.get(end).op() instanceof StorageOp.Apply) {
                end++;
            }
            if (end - i >= BULK_RUN) {
                try (MemoryEngine.BulkLoad load = engine.bulkLoad()) {
                    for (int j = i; j < end; j++) {
                        final Storage.Change row = rows.get(j);
                        final Delta delta = ((StorageOp.Apply) row.op()).delta();
                        final ApplyResult r =
                                !delta.memories().isEmpty() && appliedAhead.remove(aheadKey(tenant, delta))
                                        ? ApplyResult.NONE
                                        : load.apply(tenant, delta);
                        logApplied(tenant, row, OpOutcome.created(r));
                    }
                }
                i = end;
            } else {
                final Storage.Change row = rows.get(i);
                logApplied(tenant, row, applyOp(row.op()));
                i++;
            }
        }
    }

    private void logApplied(final String tenant, final Storage.Change row, final OpOutcome result) {
        if (row.seq() != position(tenant) + 1) {
            throw new IllegalStateException(
                    "tenant " + tenant + "'s change log jumps from " + position(tenant) + " to " + row.seq());
        }
        advance(tenant, row.seq());
        events.publish(tenant, row.seq(), row.op());
        logResults.put(tenant + '\0' + row.seq(), result);
        applyDelayMs.accept(System.currentTimeMillis() - row.committedMillis());
    }

    /** Applies one op to the engine: the engine's counterpart of what storage did for it. */
    private OpOutcome applyOp(final StorageOp op) {
        final String tenant = op.tenant();
        return switch (op) {
            case StorageOp.Apply a ->
                !a.delta().memories().isEmpty() && appliedAhead.remove(aheadKey(tenant, a.delta()))
                        ? OpOutcome.NONE
                        : OpOutcome.created(engine.apply(tenant, a.delta()));
            case StorageOp.ForgetMemory f -> {
                engine.forgetMemory(tenant, f.memoryId());
                yield OpOutcome.NONE;
            }
            case StorageOp.ForgetConcept f -> {
                engine.forgetConcept(tenant, f.conceptKey());
                yield OpOutcome.NONE;
            }
            case StorageOp.PruneLinks p ->
                OpOutcome.pruned(engine.pruneWeakLinks(tenant, p.threshold(), p.nowMillis(), p.applyDecay()));
            case StorageOp.ClearTenant c -> {
                // Storage keeps a cleared tenant's tombstones (a forgotten memory stays forgotten): so does the engine.
                engine.dropTenant(tenant);
                final LongArrayList forgotten = new LongArrayList();
                storage.loadForgottenMemories((t, id) -> {
                    if (t.equals(tenant)) {
                        forgotten.addLong(id);
                    }
                });
                forgotten.forEachOrderedLong(id -> engine.forgetMemory(tenant, id));
                yield OpOutcome.NONE;
            }
        };
    }

    private static void sleep() {
        try {
            Thread.sleep(RETRY_MS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static <T> T await(final CompletableFuture<T> f) {
        try {
            return f.get();
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (final java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Whether, after {@link #close}, the apply thread has ended (so it touches the engine no more). */
    public boolean stopped() {
        return thread.isTerminated();
    }

    /** Stops the applier thread after the queued commands (catch-ups from the log stop at once). */
    @Override
    public void close() {
        closed = true;
        thread.shutdown();
        try {
            if (!thread.awaitTermination(5, TimeUnit.SECONDS)) {
                thread.shutdownNow();
            }
        } catch (final InterruptedException e) {
            thread.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
