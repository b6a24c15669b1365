package ai.continuum.server.core;

import ai.continuum.engine.ApplyResult;
import ai.continuum.engine.ConceptKeys;
import ai.continuum.engine.ConceptView;
import ai.continuum.engine.Delta;
import ai.continuum.engine.EngineConfig;
import ai.continuum.engine.Memory;
import ai.continuum.engine.MemoryEngine;
import ai.continuum.engine.PruneReport;
import ai.continuum.engine.RecallAnswer;
import ai.continuum.engine.RecallOutput;
import ai.continuum.engine.RecallResult;
import ai.continuum.engine.SizeLimits;
import ai.continuum.engine.TenantStats;
import ai.continuum.engine.Turn;
import ai.continuum.server.config.FleetSettings;
import ai.continuum.server.metrics.ContinuumMetrics;
import ai.continuum.server.snapshot.Checkpointer;
import ai.continuum.server.snapshot.SnapshotStore;
import ai.continuum.server.storage.CommitDurabilityUnknownException;
import ai.continuum.server.storage.DuplicateRequestException;
import ai.continuum.server.storage.IdempotencyClaim;
import ai.continuum.server.storage.IdempotencyKeys;
import ai.continuum.server.storage.ImportJob;
import ai.continuum.server.storage.ImportMode;
import ai.continuum.server.storage.ImportOutcome;
import ai.continuum.server.storage.OptimizeReport;
import ai.continuum.server.storage.StateExport;
import ai.continuum.server.storage.Storage;
import ai.continuum.server.storage.StorageOp;
import ai.continuum.server.storage.StorageUnavailableException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Learn, store, forget and recall over the engine and storage, in an order that loses nothing acknowledged; and the one
 * door the web tier, MCP and the CLI use to read them, so none of them reaches the engine or storage directly.
 *
 * <h2>Write order</h2>
 * A durable write is <em>committed first and applied to the engine second</em>: the op is queued to storage, and when
 * its batch commits, it is handed to the {@link EngineApplier}, which applies committed ops one at a time in each
 * tenant's chain order, together with the ops other instances committed to a shared database; the request answers
 * after both. The storage writer thus spends its time on SQL only. Therefore:
 * <ul>
 *   <li>a 200 means the turn is in SQL and visible to recall;</li>
 *   <li>a queue-full or failed commit (503) changed nothing, neither in SQL nor in the engine, so a client that
 *       retries does not count the turn twice;</li>
 *   <li>a commit that outlives the request's wait ({@link #COMMIT_WAIT}) still reaches the engine when it lands
 *       (the apply is chained to the commit, not to the waiting request); this rare timeout is answered
 *       {@link WriteOutcomeUnknownException} (500 {@code outcome_unknown}), never "nothing applied", since a blind
 *       retry could count the turn twice (a commit whose answer the connection lost is such a commit: the storage
 *       writer holds it until the database can say whether it landed).</li>
 * </ul>
 * An async write ({@code async=true}) is queued and applied to the engine at once (ahead of its chain position; its op
 * is skipped when it arrives in order) and answered 202 before the commit.
 * If that commit later fails, the engine holds state the database lacks until the next restart rebuilds from SQL;
 * the failure is logged and counted ({@code continuum_learn_operations_total{result="commit_failed"}}). That is the
 * contract callers choose with async.
 *
 * <h2>Several instances on one database</h2>
 * Each instance follows the others' ops ({@link #startFollowing}); a learn answers with its chain position, and a
 * read given that position waits (bounded) until this instance's engine holds it ({@link #awaitPosition}).
 *
 * <p>Thread-safe; see the package description. {@link #close} stops the applier and the follower (not the engine or
 * storage, which the caller opened).
 */
public final class ContinuumCore implements AutoCloseable {
    /** How long a request waits for its commit before answering 503. */
    public static final Duration COMMIT_WAIT = Duration.ofSeconds(30);

    private static final Logger LOG = Logger.getLogger(ContinuumCore.class.getName());
    /** The deltas a rebuild loads from which it streamed enough rows through the heap to collect after it. */
    private static final long FULL_GC_AFTER_LOADING = 50_000;

    private final MemoryEngine engine;
    private final Storage storage;
    private final ContinuumMetrics metrics;
    private final MemoryIds ids;
    private final AtomicLong asyncFailures = new AtomicLong();
    /** The live event stream, fed by the applier. */
    private final ChangeEvents events = new ChangeEvents();
    /** The engine's one writer after a commit (and the rebuild). */
    private final EngineApplier applier;
    /** Orders async writes applied ahead against the deletes of their tenant. */
    private final DeletingWrites deletingWrites = new DeletingWrites();
    /** Written once by {@link #rebuild} on the starting thread; read by readiness checks on request threads. */
    private volatile boolean loaded;
    /** Set once when shutdown begins; read by readiness. */
    private volatile boolean draining;
    /** The stored rows the last rebuild left out (over the size limits); null before the first rebuild. */
    private volatile StoredRowScreen lastLoad;
    /** Each tenant's chain position right after the rebuild: ready once the engine holds them all. */
    private volatile Map<String, Long> startHeads;
    /** Latches true once {@link #startHeads} are reached. */
    private volatile boolean caughtUp;

    private volatile ChangeFollower follower;
    private volatile Checkpointer checkpointer;
    private volatile FleetSettings fleet = FleetSettings.DEFAULTS;
    /** Refuses writes that add data near the memory limit; off until {@link #limitMemory}. */
    private volatile MemoryPressure memory = MemoryPressure.OFF;

    public ContinuumCore(final MemoryEngine engine, final Storage storage, final ContinuumMetrics metrics) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.storage = Objects.requireNonNull(storage, "storage");
        // Before any memory is loaded: the semantic index then takes stored vectors instead of running the model.
        engine.attachStoredVectors(storage.vectors());
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.applier = new EngineApplier(engine, storage, storage, metrics::syncApplyDelay, events);
        final var lease = storage.instanceLease();
        this.ids = new MemoryIds(System::currentTimeMillis, lease::number);
        metrics.bindSync(this::lagSeconds, this::lagOps);
    }

    // Reads. The web tier, MCP and the CLI read through these; none of them holds the engine or storage.

    /** The engine's parameters (recall's default bounds among them). */
    public EngineConfig engineConfig() {
        return engine.config();
    }

    public TenantStats stats(final String tenant) {
        return engine.stats(tenant);
    }

    /** Tenants the engine holds, sorted. */
    public java.util.Set<String> tenants() {
        return engine.tenants();
    }

    public Optional<ConceptView> concept(final String tenant, final String name, final int maxNeighbours) {
        return engine.concept(tenant, name, maxNeighbours);
    }

    public List<ConceptView> concepts(final String tenant, final String typeOrNull, final int offset, final int limit) {
        return engine.concepts(tenant, typeOrNull, offset, limit);
    }

    /**
     * The tenant's live state as deltas (concepts, links, compounds, memories, decisions), under the engine's write
     * lock for the duration: what federation reads its shareable pairs from.
     */
    public void snapshot(final String tenant, final java.util.function.Consumer<Delta> sink) {
        engine.snapshot(tenant, sink);
    }

    public long conceptCount(final String tenant, final String typeOrNull) {
        return engine.conceptCount(tenant, typeOrNull);
    }

    /** A memory as the engine holds it (empty when the engine no longer does: see {@link #storedMemory}). */
    public Optional<Memory> memory(final String tenant, final long memoryId) {
        return engine.memory(tenant, memoryId);
    }

    /** A memory as storage holds it: also one the engine dropped (its concepts spelled as keys). */
    public Optional<Storage.StoredMemory> storedMemory(final String tenant, final long memoryId) {
        return storage.memory(tenant, memoryId);
    }

    /** A page of the tenant's stored memories, newest first; {@link IllegalArgumentException} for a bad filter. */
    public Storage.Page<Storage.StoredMemory> memories(final String tenant, final Storage.MemoryQuery query) {
        return storage.memories(tenant, query);
    }

    /** The head of the tenant's continuity chain as committed. */
    public Storage.ContinuityHead continuity(final String tenant) {
        return storage.continuity(tenant);
    }

    /** The tenant's committed ops after {@code afterSeq} (the event stream's replay). */
    public List<Storage.Change> changes(final String tenant, final long afterSeq, final int limit) {
        return storage.changes(tenant, afterSeq, limit);
    }

    /** Writes accepted and not yet committed. */
    public int queueDepth() {
        return storage.queueDepth();
    }

    /** Whether stored state can be read now (readiness). */
    public boolean databaseReadable() {
        return storage.isReadable();
    }

    /**
     * Whether writes are accepted now: false while the database refuses them (e.g. a full disk) or while the process is
     * too near its memory limit to take in more data ({@link #limitMemory}).
     */
    public boolean writesAccepted() {
        return storage.acceptsWrites() && !memory.refusing();
    }

    /** Whether writes that add data are refused for memory now ({@link MemoryPressure}). */
    public boolean memoryPressure() {
        return memory.refusing();
    }

    /** Refuses learns, stored memories and imports while {@code pressure} says the process is near its limit. */
    public void limitMemory(final MemoryPressure pressure) {
        this.memory = Objects.requireNonNull(pressure, "pressure");
    }

    /** The stored {@code Idempotency-Key}s of answered writes. */
    public IdempotencyKeys idempotencyKeys() {
        return storage.idempotencyKeys();
    }

    /** The stored state, in one snapshot, for an export document. */
    public StateExport exports() {
        return storage;
    }

    /** Refreshes the planner's statistics and indexes; see {@link Storage#optimize}. */
    public OptimizeReport optimize(final boolean vacuum) {
        return storage.optimize(vacuum);
    }

    /**
     * Loads every tenant's stored state into the engine, then the tombstones of forgotten memories (so a replayed
     * old delta cannot revive one); {@link #loaded()} turns true when done. A bulk load: adjacency order is restored
     * once per concept at the end instead of after every delta.
     */
    public long rebuild() {
        // Stored rows over the size limits are skipped and reported, never fatal (StoredRowScreen).
        final long deltas = applier.rebuild(sink -> {
            final StoredRowScreen screen = new StoredRowScreen(sink);
            lastLoad = screen;
            return screen;
        });
        startHeads = storage.heads();
        // The load streamed the whole database through the heap (GBs of rows at 1M concepts / 5M links) and the
        // collector grew the heap to keep up; what remains live is small. One full collection now (about 70 ms
        // there) hands that memory back to the OS instead of keeping it resident until the heap shrinks by itself:
        // measured, resident memory at ready went from 1.6-2.7 GB to about 1.0 GB (benchmarks/RESULTS.md).
        // A small database's rows never grew the heap: there is nothing to hand back, and the full collection of
        // the whole heap would only add its pause to the start (and to each load of a process that loads engines
        // often, as the embedded core's users may).
        if (deltas >= FULL_GC_AFTER_LOADING) {
            System.gc();
        }
        loaded = true;
        return deltas;
    }

    /**
     * Loads the engine at start: from the snapshot in {@code snapshots} when it is usable for this database (then the
     * ops committed after it are caught up from the change log, and readiness waits for them), otherwise by
     * {@link #rebuild} (the snapshot store has logged why).
     *
     * @param snapshots null to always rebuild.
     * @return what was done, for the start-up log.
     */
    // The catch-ups run on the applier, which retries a failed read itself; readiness waits for their positions.
    @SuppressWarnings("FutureReturnValueIgnored")
    public String load(final SnapshotStore snapshots) {
        final long startNs = System.nanoTime();
        if (snapshots != null) {
            final Optional<SnapshotStore.Restored> restored =
                    snapshots.restoreInto(engine, storage, "rebuilding the engine from the database");
            if (restored.isPresent()) {
                final SnapshotStore.Restored r = restored.get();
                // Memories the snapshot holds without a vector (an older snapshot, or vectors stored after it was
                // taken): the semantic index looks them up in storage, and embeds only those it does not find.
                engine.embedMissing();
                applier.startAt(r.positions());
                final Map<String, Long> heads = storage.heads();
                startHeads = heads;
                long behind = 0;
                for (final Map.Entry<String, Long> head : heads.entrySet()) {
                    behind += Math.max(0, head.getValue() - r.positions().getOrDefault(head.getKey(), 0L));
                    applier.reach(head.getKey(), head.getValue());
                }
                loaded = true;
                return String.format(
                        "restored the engine from snapshot %s (%d bytes, taken %d s ago) in %d ms (checks, CRC and vectors %d ms,"
                                + " %s); catching up %d ops from the change log",
                        snapshots.file(),
                        r.bytes(),
                        Math.max(0, System.currentTimeMillis() - r.takenAtMillis()) / 1000,
                        r.millis(),
                        Math.max(0, r.millis() - r.load().totalNanos() / 1_000_000),
                        r.load(),
                        behind);
            }
        }
        final long deltas = rebuild();
        return String.format(
                "loaded %d deltas for %d tenants from the database in %d ms",
                deltas, engine.tenants().size(), (System.nanoTime() - startNs) / 1_000_000);
    }

    /**
     * Starts taking snapshots in the background every {@code intervalSeconds}, from the engine {@code source} picks
     * (see {@link Checkpointer}). Stopped by {@link #close}.
     */
    public void startCheckpoints(
            final SnapshotStore snapshots, final long intervalSeconds, final Checkpointer.Source source) {
        final Checkpointer c = checkpointer(snapshots, intervalSeconds, source);
        checkpointer = c;
        c.start();
    }

    /** A checkpointer of this instance's store that can write its serving engine; not started. */
    public Checkpointer checkpointer(
            final SnapshotStore snapshots, final long intervalSeconds, final Checkpointer.Source source) {
        return new Checkpointer(
                snapshots,
                storage,
                engine.config(),
                intervalSeconds,
                source,
                new Checkpointer.Serving(engine, applier),
                new Checkpointer.Outcomes() {
                    @Override
                    public void taken(final boolean fromServing, final long millis, final long pausedMillis) {
                        metrics.checkpointTaken(fromServing, millis, pausedMillis);
                    }

                    @Override
                    public void failed() {
                        metrics.checkpointFailed();
                    }
                });
    }

    public boolean loaded() {
        return loaded;
    }

    /** Stored rows the rebuild left out because they are over the size limits (reported by readiness). */
    public long skippedRows() {
        final StoredRowScreen screen = lastLoad;
        return screen == null ? 0 : screen.skipped();
    }

    /** Readiness turns false for good: the server is shutting down and load balancers should stop sending. */
    public void startDraining() {
        draining = true;
    }

    public boolean draining() {
        return draining;
    }

    /**
     * Starts following the ops other instances commit to a shared database (PostgreSQL): woken by their
     * announcements, with a catch-up poll every {@link FleetSettings#pollMillis} as the safety net. A no-op for a
     * database only this process writes. Call after {@link #rebuild}.
     *
     * @param keys told about API keys revoked elsewhere (a key id), or to drop every cached key (null) when
     *             announcements may have been missed.
     */
    public void startFollowing(final FleetSettings settings, final java.util.function.Consumer<String> keys) {
        this.fleet = Objects.requireNonNull(settings, "settings");
        storage.openSignals().ifPresent(signals -> {
            applier.followOthers();
            final ChangeFollower f = new ChangeFollower(storage, applier, signals, keys, settings.pollMillis());
            follower = f;
            f.start();
        });
    }

    /** Whether the engine holds every op the database held right after the rebuild (latches once true). */
    public boolean caughtUp() {
        if (!caughtUp) {
            final Map<String, Long> heads = startHeads;
            caughtUp = heads != null && applier.reached(heads);
        }
        return caughtUp;
    }

    /** Seconds this engine has been behind the shared change log; 0 when caught up or alone on its database. */
    public double lagSeconds() {
        final ChangeFollower f = follower;
        return f == null || applier.lagOps() == 0 ? 0 : f.lagSeconds();
    }

    /** Ops committed to the shared change log and not yet in this engine. */
    public long lagOps() {
        return follower == null ? 0 : applier.lagOps();
    }

    /** Whether the lag is within {@link FleetSettings#maxLagSeconds}. */
    public boolean lagWithinBound() {
        return lagSeconds() <= fleet.maxLagSeconds();
    }

    /**
     * Loaded, not shutting down, caught up with the head seen at start, within the lag bound, and stored state
     * readable: the readiness condition. Writes refused (a full disk) leave the service ready, since recall and reads
     * still work; readiness reports them degraded.
     */
    public boolean ready() {
        return loaded && !draining && caughtUp() && lagWithinBound() && storage.isReadable();
    }

    /**
     * Waits until this instance's engine holds the tenant's ops up to chain position {@code position} (a position a
     * learn answered, on any instance), at most {@link FleetSettings#readWaitMillis}.
     *
     * @return false when the wait ran out.
     */
    public boolean awaitPosition(final String tenant, final long position) {
        return applier.awaitApplied(tenant, position, TimeUnit.MILLISECONDS.toNanos(fleet.readWaitMillis()));
    }

    /**
     * Each tenant's engine checksum with the chain position it was taken at, for comparing instances with each other
     * and with a rebuild from SQL (an engine at position p must equal a rebuild of the log up to p).
     */
    public List<TenantChecksum> checksums(final java.util.Collection<String> tenants) {
        final List<CompletableFuture<TenantChecksum>> taken =
                tenants.stream().map(applier::checksum).toList();
        return taken.stream().map(CompletableFuture::join).toList();
    }

    /** The tenant's chain position this instance's engine holds. */
    public long appliedPosition(final String tenant) {
        return applier.applied(tenant);
    }

    public FleetSettings fleet() {
        return fleet;
    }

    /** The live event stream of the ops this instance's engine applies. */
    public ChangeEvents events() {
        return events;
    }

    public long nextMemoryId() {
        return ids.next();
    }

    /**
     * Learns a turn. Throws {@link ai.continuum.engine.SizeLimitExceededException} before anything is written when
     * the turn or what it yields is over the {@link SizeLimits}.
     */
    public LearnReceipt learn(final String tenant, final Turn turn, final boolean async) {
        return learn(tenant, turn, async, null);
    }

    /**
     * As {@link #learn(String, Turn, boolean)}, committing {@code claim} (nullable; synchronous writes only) with the
     * turn: throws {@link ai.continuum.server.storage.DuplicateRequestException} and applies nothing when its key is
     * already stored.
     */
    public LearnReceipt learn(final String tenant, final Turn turn, final boolean async, final IdempotencyClaim claim) {
        if (async && claim != null) {
            throw new IllegalArgumentException("an idempotent write must be synchronous");
        }
        memory.admitData();
        SizeLimits.check(turn);
        final Delta delta = engine.prepare(turn);
        SizeLimits.check(delta);
        try {
            final LearnReceipt receipt = write(tenant, turn.memoryId(), delta, async, claim);
            metrics.learn(tenant, async ? "accepted" : "success");
            return receipt;
        } catch (final RuntimeException e) {
            metrics.learn(tenant, "unavailable");
            throw e;
        }
    }

    /** Stores a memory without extraction: a delta holding only the memory. */
    public LearnReceipt store(final String tenant, final Delta.MemoryDelta memory) {
        return store(tenant, memory, null);
    }

    /** As {@link #store(String, Delta.MemoryDelta)}, committing {@code claim} (nullable) with it; see learn. */
    public LearnReceipt store(final String tenant, final Delta.MemoryDelta memory, final IdempotencyClaim claim) {
        this.memory.admitData();
        SizeLimits.check(memory);
        final Delta delta = new Delta(List.of(), List.of(), List.of(), List.of(memory), List.of());
        return write(tenant, memory.id(), delta, false, claim);
    }

    public RecallResult recall(final String tenant, final String query, final int maxConcepts, final int maxMemories) {
        return recall(tenant, query, maxConcepts, maxMemories, true);
    }

    /**
     * As {@link #recall(String, String, int, int)}; {@code semantic} false leaves the semantic index out of this call
     * (an engine without one never uses it: recall.semantic.enabled).
     */
    public RecallResult recall(
            final String tenant,
            final String query,
            final int maxConcepts,
            final int maxMemories,
            final boolean semantic) {
        final RecallResult result = engine.recall(tenant, query, maxConcepts, maxMemories, semantic);
        countRecall(tenant, result);
        return result;
    }

    /**
     * As {@link #recall(String, String, int, int, boolean)}, written into {@code out}, buffers the caller reuses
     * ({@link MemoryEngine#recall(String, String, int, int, boolean, RecallOutput)}).
     */
    public void recall(
            final String tenant,
            final String query,
            final int maxConcepts,
            final int maxMemories,
            final boolean semantic,
            final RecallOutput out) {
        engine.recall(tenant, query, maxConcepts, maxMemories, semantic, out);
        countRecall(tenant, out);
    }

    private void countRecall(final String tenant, final RecallAnswer answer) {
        metrics.recall(tenant, answer.conceptCount() == 0 && answer.memoryCount() == 0 ? "empty" : "hit");
    }

    /**
     * Waits until every memory has its sentence vector, at most {@code timeoutMillis}; true at once without a semantic
     * index. A one-shot process (the CLI's recall) calls it after the rebuild.
     */
    public boolean awaitSemanticIndex(final long timeoutMillis) throws InterruptedException {
        return engine.awaitSemanticIndex(timeoutMillis);
    }

    /** Forgets one memory; false when the tenant has no such memory. */
    public boolean forgetMemory(final String tenant, final long memoryId) {
        if (engine.memory(tenant, memoryId).isEmpty()
                && storage.memory(tenant, memoryId).isEmpty()) {
            return false;
        }
        commitThen(new StorageOp.ForgetMemory(tenant, memoryId));
        return true;
    }

    /** Forgets one concept (any case) with its links and postings; false when the tenant has no such concept. */
    public boolean forgetConcept(final String tenant, final String name) {
        if (engine.concept(tenant, name, 0).isEmpty()) {
            return false;
        }
        deletingWrites.delete(
                tenant, () -> commitThen(new StorageOp.ForgetConcept(tenant, ConceptKeys.normalize(name))));
        return true;
    }

    /**
     * Prunes the tenant's links whose strength is strictly below {@code threshold}, judged at this moment (decayed by
     * time when {@code applyDecay} and time decay is configured), and reports what it examined and removed. Like every
     * other write it is committed first (one op in the tenant's chain, committed together with {@code claim},
     * nullable) and applied to the engine in chain order; every instance on the database applies the same op, with the
     * time the op carries, and so removes exactly the same links. Failures are those of learn (503, 500
     * {@code outcome_unknown}, {@link DuplicateRequestException} for a claimed key).
     *
     * @throws IllegalArgumentException when {@code threshold} is not in [0, 1]; nothing is written.
     */
    public PruneReceipt prune(
            final String tenant, final double threshold, final boolean applyDecay, final IdempotencyClaim claim) {
        if (!(threshold >= 0.0 && threshold <= 1.0)) {
            throw new IllegalArgumentException("threshold=" + threshold + " must be in [0, 1]");
        }
        final StorageOp.PruneLinks op =
                new StorageOp.PruneLinks(tenant, threshold, System.currentTimeMillis(), applyDecay);
        final Committed committed = deletingWrites.delete(tenant, () -> commitThen(op, claim));
        final PruneReport report = committed.applied().pruned();
        if (report == null) {
            // The follower applied it from the log first and its outcome aged out of the applier's bounded memory.
            throw new IllegalStateException("the prune of tenant " + tenant + " was applied but its report was lost");
        }
        return new PruneReceipt(report, committed.head().length());
    }

    /**
     * Imports one tenant's content: committed first (one transaction, ordered with every other write, recorded in the
     * change log as ops), then applied to the engine by the applier from the change log, in chain order, exactly as
     * every other instance applies it. Recall of that tenant sees the content arrive progressively during the engine
     * step. Waits for both, however long.
     */
    public ImportOutcome importState(final ImportJob job) {
        memory.admitData();
        return job.mode() == ImportMode.REPLACE
                ? deletingWrites.delete(job.tenant(), () -> importAndApply(job))
                : importAndApply(job);
    }

    private ImportOutcome importAndApply(final ImportJob job) {
        final CompletableFuture<ImportOutcome> done = storage.importState(job)
                .thenCompose(outcome -> outcome.applied()
                        ? applier.reach(job.tenant(), outcome.head().length()).thenApply(ignored -> outcome)
                        : CompletableFuture.completedFuture(outcome));
        try {
            return done.get();
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageUnavailableException("interrupted while importing into tenant " + job.tenant(), e);
        } catch (final ExecutionException e) {
            if (e.getCause() instanceof CommitDurabilityUnknownException unknown) {
                throw outcomeUnknown("the import into tenant " + job.tenant(), unknown);
            }
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new StorageUnavailableException("the import failed: " + e.getCause(), e.getCause());
        }
    }

    /** Async commits that failed after their request was answered. */
    public long asyncFailures() {
        return asyncFailures.get();
    }

    private LearnReceipt write(
            final String tenant,
            final long memoryId,
            final Delta delta,
            final boolean async,
            final IdempotencyClaim claim) {
        final long startNs = System.nanoTime();
        final StorageOp.Apply op = new StorageOp.Apply(tenant, delta);
        if (async) {
            // The commit is queued first and the write applied ahead after it, both in one step against deletes.
            final QueuedAsync queued = deletingWrites.queueAsync(
                    tenant,
                    mayApplyAhead -> new QueuedAsync(
                            storage.submit(op),
                            mayApplyAhead
                                    ? applier.applyAhead(tenant, delta)
                                    : CompletableFuture.completedFuture(ApplyResult.NONE)));
            final CompletableFuture<Storage.ContinuityHead> commit = queued.commit();
            final ApplyResult applied = await(queued.ahead(), op);
            // The handler logs and counts its own failure; the future it returns has no reader.
            final CompletableFuture<?> unused = commit.thenCompose(head -> applier.committed(op, head))
                    .whenComplete((ignored, error) -> {
                        metrics.commitLatency(System.nanoTime() - startNs);
                        if (error != null) {
                            applier.abandonAhead(tenant, delta);
                            asyncFailures.incrementAndGet();
                            metrics.learn(tenant, "commit_failed");
                            LOG.log(
                                    Level.SEVERE,
                                    "async write of memory " + memoryId + " for tenant " + tenant
                                            + " was not committed; it stays in memory until restart",
                                    error);
                        }
                    });
            return new LearnReceipt(memoryId, delta, applied, false, 0);
        }
        final Committed committed = commitThen(op, claim);
        return new LearnReceipt(
                memoryId,
                delta,
                committed.applied().created(),
                true,
                committed.head().length());
    }

    /** An async write's queued commit, and its apply ahead of the commit (completed with nothing when held back). */
    private record QueuedAsync(
            CompletableFuture<Storage.ContinuityHead> commit, CompletableFuture<ApplyResult> ahead) {}

    /** A committed op's chain head and what applying it to the engine produced. */
    private record Committed(Storage.ContinuityHead head, OpOutcome applied) {}

    private Committed commitThen(final StorageOp op) {
        return commitThen(op, null);
    }

    /**
     * Queues {@code op} (with {@code claim}, nullable, committed in the same transaction), has the applier apply it
     * once it is durable, and waits for both. Throws {@link ai.continuum.server.storage.QueueFullException} when
     * nothing was queued, {@link StorageUnavailableException} when the commit failed (nothing applied),
     * {@link DuplicateRequestException} when the claim's key was already stored (nothing applied), and
     * {@link WriteOutcomeUnknownException} when it did not finish in time (it may still be applied).
     */
    private Committed commitThen(final StorageOp op, final IdempotencyClaim claim) {
        final long startNs = System.nanoTime();
        final CompletableFuture<Storage.ContinuityHead> commit =
                claim == null ? storage.submit(op) : storage.submit(op, claim);
        final CompletableFuture<Committed> done = commit.thenCompose(head -> {
            metrics.commitLatency(System.nanoTime() - startNs);
            return applier.committed(op, head).thenApply(applied -> new Committed(head, applied));
        });
        return await(done, op);
    }

    private static <T> T await(final CompletableFuture<T> done, final StorageOp op) {
        try {
            return done.get(COMMIT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WriteOutcomeUnknownException(
                    "interrupted while waiting for the commit of " + describe(op) + "; it is applied if it completes",
                    e);
        } catch (final TimeoutException e) {
            throw new WriteOutcomeUnknownException(
                    "the commit of " + describe(op) + " did not finish within " + COMMIT_WAIT.toSeconds()
                            + " s; it is applied if it completes",
                    e);
        } catch (final ExecutionException e) {
            final Throwable cause = e.getCause();
            if (cause instanceof StorageUnavailableException unavailable) {
                throw unavailable;
            }
            if (cause instanceof CommitDurabilityUnknownException unknown) {
                throw outcomeUnknown(describe(op), unknown);
            }
            if (cause instanceof DuplicateRequestException duplicate) {
                throw duplicate;
            }
            throw new StorageUnavailableException("the commit of " + describe(op) + " failed: " + cause, cause);
        }
    }

    /** A commit that was written but could not be confirmed on disk: it may or may not be stored. */
    private static WriteOutcomeUnknownException outcomeUnknown(
            final String what, final CommitDurabilityUnknownException cause) {
        return new WriteOutcomeUnknownException(
                "the commit of " + what + " was written but could not be confirmed on disk: " + cause.getMessage(),
                cause);
    }

    /**
     * Stops the threads that read storage on their own (the checkpointer, waiting for a checkpoint it is taking, and
     * the change follower), so that storage can be closed after. Idempotent; {@link #close} calls it too.
     */
    public void stopReadingStorage() {
        final ChangeFollower f = follower;
        follower = null;
        final Checkpointer c = checkpointer;
        checkpointer = null;
        try {
            if (c != null) {
                c.close();
            }
        } finally {
            if (f != null) {
                f.close();
            }
        }
    }

    /** Stops following other instances and stops the applier thread. Idempotent. */
    @Override
    public void close() {
        events.close();
        try {
            stopReadingStorage();
        } finally {
            applier.close();
        }
    }

    private static String describe(final StorageOp op) {
        return op.getClass().getSimpleName() + " for tenant " + op.tenant();
    }
}
