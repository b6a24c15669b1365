package ai.continuum.server.storage;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import javax.sql.DataSource;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.EpochClock;

/**
 * The write-behind writer: request threads {@link #submit} ops onto a bounded queue; one writer thread drains it in
 * batches and commits each batch in one transaction (group commit), then completes the batch's futures. An op is
 * acknowledged only after the transaction holding it committed, so an acknowledged op survives a crash.
 *
 * <p>Failure: a batch whose commit fails is rolled back, its connection discarded, and retried with exponential
 * backoff ({@value #INITIAL_BACKOFF_MS} ms doubling to {@value #MAX_BACKOFF_MS} ms) for
 * {@link StorageSettings#commitRetryMs}; then its futures fail with {@link StorageUnavailableException} and the writer
 * turns <em>unavailable</em>: new submits fail at once, queued ops are tried once each batch, and a probe write every
 * {@link StorageSettings#probeIntervalMs} detects recovery. Nothing half-written is ever committed: a batch commits
 * whole or not at all. A COMMIT that fails without an answer may have committed; before writing such a batch again,
 * the writer looks for it in the change log, so a batch is never applied twice, and until the database can tell, the
 * batch is held rather than failed (a 503 for a write that landed would invite a retry that stores it twice). A
 * batch the database rejects for its data (a constraint, a value it cannot store) is not a database failure: its ops
 * are committed one at a time so that only the offending ops fail.
 *
 * <p>Thread model: {@link #doWork} and every field not marked otherwise belong to the writer thread (an
 * {@link AgentRunner} with a backoff idle strategy, or the test calling {@code doWork} directly). {@link #submit} and
 * {@link #queueDepth} are called from any thread. An idle writer parks for up to {@value #MAX_IDLE_PARK_NS} ns
 * between polls (its timers: retries, probes, side writes); every submit unparks it, so a lone client's write is
 * taken at once instead of after the rest of that park. Futures are completed on the writer thread: callers should block on
 * them or chain {@code *Async} stages, never run slow work in a non-async stage.
 */
final class WriteBehindWriter implements Agent {
    static final long INITIAL_BACKOFF_MS = 25;
    static final long MAX_BACKOFF_MS = 1_000;
    static final long MAX_IDLE_PARK_NS = 1_000_000;
    private static final System.Logger LOG = System.getLogger(WriteBehindWriter.class.getName());

    /** What the queue holds: ops, committed in batches, and imports, each committed alone in its own transaction. */
    sealed interface Queued permits Pending, ImportRun {
        CompletableFuture<?> future();
    }

    /**
     * An op waiting for its batch; {@code payload} is its canonical encoding, computed on the submitting thread;
     * {@code claim} (nullable) an idempotency key committed with it, or, if already stored, instead of it.
     */
    record Pending(
            StorageOp op, byte[] payload, IdempotencyClaim claim, CompletableFuture<Storage.ContinuityHead> future)
            implements Queued {}

    /** An import waiting for the ops queued before it to commit. */
    record ImportRun(ImportJob job, CompletableFuture<ImportOutcome> future) implements Queued {}

    /** Writes that ride along with a batch but are not ops (e.g. API key last-use times). */
    interface SideWrites {
        boolean hasPending();

        void write(Connection connection, long nowMillis) throws SQLException;
    }

    private final ArrayBlockingQueue<Queued> queue;
    private final DataSource connections;
    private final SqlDialect dialect;
    private final StorageSettings settings;
    private final EpochClock clock;
    private final SideWrites sideWrites;
    /** Guards the closing check in submit against close(): no op is queued after close() set {@link #closing}. */
    private final ReentrantReadWriteLock admission = new ReentrantReadWriteLock();
    /** Completed by the writer when closing and nothing is left to commit. */
    private final CompletableFuture<Void> drained = new CompletableFuture<>();

    private final List<Pending> batch;
    /** An import taken from the queue when no batch was pending; run before anything queued after it. */
    private ImportRun importRun;

    private Connection connection;
    private long batchFirstAttemptMs;
    private long retryAtMs;
    private long backoffMs = INITIAL_BACKOFF_MS;
    private long nextProbeMs;
    private AgentRunner runner;
    /** The writer thread once started, unparked by every submit; null while the owner drives {@link #doWork}. */
    private volatile Thread writerThread;
    /**
     * The chain heads of the ops at the front of {@link #batch} whose COMMIT failed without an answer (the connection
     * broke while the database committed): the database may hold them. Before they are written again, the writer
     * looks for the last one in the change log; found, they are acknowledged instead of applied twice. Null when no
     * commit is in doubt.
     */
    private List<Storage.ContinuityHead> inDoubt;

    /** Written by the writer thread only; read by submitters to fail fast and by readiness. */
    private volatile boolean unavailable;
    /** The failure that made the writer unavailable; published before {@link #unavailable} is set. */
    private volatile Throwable lastFailure;
    /** Set once by close() under the admission write lock; read by submitters and the writer. */
    private volatile boolean closing;
    /** Ops drained from the queue but not yet committed or failed; written by the writer, read for the depth. */
    private volatile int inFlightOps;
    /**
     * Recent commit throughput, ops per second of writer time (moving average); written by the writer after each
     * commit, read by submitters to estimate when a full queue will have room.
     */
    private volatile double committedOpsPerSecond;
    /** This process's instance number, carried by its change announcements; -1 until the storage sets it. */
    private volatile java.util.function.IntSupplier origin = () -> -1;
    /** Checked after every commit, before anything is acknowledged. */
    private final DatabaseFileGuard fileGuard;

    WriteBehindWriter(
            final DataSource connections,
            final SqlDialect dialect,
            final StorageSettings settings,
            final EpochClock clock,
            final SideWrites sideWrites,
            final DatabaseFileGuard fileGuard) {
        this.fileGuard = fileGuard;
        this.connections = connections;
        this.dialect = dialect;
        this.settings = settings;
        this.clock = clock;
        this.sideWrites = sideWrites;
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        this.batch = new ArrayList<>(settings.maxBatchOps());
    }

    /** Names this process in its change announcements (its own follower then skips them). */
    void origin(final java.util.function.IntSupplier instanceNumber) {
        this.origin = instanceNumber;
    }

    /** Starts the dedicated writer thread. Without it, the owner drives {@link #doWork} itself (tests). */
    void start() {
        runner = new AgentRunner(
                new BackoffIdleStrategy(10, 5, 10_000, MAX_IDLE_PARK_NS),
                e -> LOG.log(System.Logger.Level.ERROR, "storage writer: unexpected error: " + e, e),
                null,
                this);
        AgentRunner.startOnThread(runner, r -> {
            final Thread t = new Thread(r, roleName());
            t.setDaemon(true);
            writerThread = t;
            return t;
        });
    }

    CompletableFuture<Storage.ContinuityHead> submit(final StorageOp op) {
        return submit(op, null);
    }

    /** Queues {@code op} with an idempotency claim (nullable); see {@link Pending}. */
    CompletableFuture<Storage.ContinuityHead> submit(final StorageOp op, final IdempotencyClaim claim) {
        Objects.requireNonNull(op, "op");
        final byte[] payload = OpCodec.encode(op);
        return enqueue(new Pending(op, payload, claim, new CompletableFuture<>()));
    }

    /** Queues an import; it commits after every op queued before it, in one transaction of its own. */
    CompletableFuture<ImportOutcome> submitImport(final ImportJob job) {
        Objects.requireNonNull(job, "job");
        return enqueue(new ImportRun(job, new CompletableFuture<>()));
    }

    @SuppressWarnings("unchecked")
    private <T> CompletableFuture<T> enqueue(final Queued item) {
        admission.readLock().lock();
        try {
            if (closing) {
                return CompletableFuture.failedFuture(new StorageUnavailableException("storage is closed", null));
            }
            if (unavailable) {
                final Throwable cause = lastFailure;
                return CompletableFuture.failedFuture(new StorageUnavailableException(
                        "the database refuses writes: " + Failures.describe(cause), cause));
            }
            if (!queue.offer(item)) {
                final int depth = queue.size();
                throw new QueueFullException(depth, retryAfterSeconds(depth));
            }
            final Thread writer = writerThread;
            if (writer != null) {
                // Cheap when the writer is busy (it only sets the permit); a parked writer wakes now.
                LockSupport.unpark(writer);
            }
            return (CompletableFuture<T>) item.future();
        } finally {
            admission.readLock().unlock();
        }
    }

    /** Seconds until {@code depth} queued ops are committed at the recent rate, between 1 and 60. */
    private int retryAfterSeconds(final int depth) {
        final double rate = committedOpsPerSecond;
        return rate <= 0 ? 1 : (int) Math.max(1, Math.min(60, Math.ceil(depth / rate)));
    }

    int queueDepth() {
        return queue.size() + inFlightOps;
    }

    boolean isUnavailable() {
        return unavailable;
    }

    @Override
    public String roleName() {
        return "continuum-storage-writer";
    }

    @Override
    public int doWork() {
        final long nowMs = clock.time();
        if (batch.isEmpty()) {
            drainBatch();
            if (importRun != null) {
                runImport(nowMs);
                return 1;
            }
            if (batch.isEmpty()) {
                return onIdle(nowMs);
            }
            inFlightOps = batch.size();
            batchFirstAttemptMs = nowMs;
            backoffMs = INITIAL_BACKOFF_MS;
        } else if (nowMs - retryAtMs < 0) {
            return 0;
        }
        final int ops = batch.size();
        final long startNs = System.nanoTime();
        try {
            if (inDoubt != null && acknowledgeIfLanded() && batch.isEmpty()) {
                inFlightOps = 0;
                if (unavailable) {
                    recovered("a commit in doubt was found committed");
                }
                return ops;
            }
            final int writing = batch.size();
            final List<Storage.ContinuityHead> heads = commit(batch, nowMs);
            final double rate = writing * 1e9 / Math.max(1, System.nanoTime() - startNs);
            final double previous = committedOpsPerSecond;
            committedOpsPerSecond = previous == 0 ? rate : 0.8 * previous + 0.2 * rate;
            for (int i = 0; i < writing; i++) {
                acknowledge(batch.get(i), heads.get(i));
            }
            batch.clear();
            inFlightOps = 0;
            if (unavailable) {
                recovered("a batch of " + writing + " ops committed");
            }
        } catch (final SQLException | RuntimeException e) {
            discardConnection();
            if (dialect.isDataError(e)) {
                isolate(nowMs, e);
            } else if (inDoubt != null && nowMs - batchFirstAttemptMs >= settings.commitRetryMs()) {
                holdInDoubt(nowMs, e);
            } else if (inDoubt == null && (unavailable || nowMs - batchFirstAttemptMs >= settings.commitRetryMs())) {
                giveUp(nowMs, e);
            } else {
                scheduleRetry(nowMs, e);
            }
        }
        return ops;
    }

    /**
     * Moves queued ops into the batch, stopping at an import: an import at the head of the queue is taken alone (into
     * {@link #importRun}) when the batch is empty, else it waits for the batch to commit. Only this thread polls.
     */
    private void drainBatch() {
        while (batch.size() < settings.maxBatchOps()) {
            final Queued next = queue.peek();
            if (next == null) {
                return;
            }
            if (next instanceof ImportRun run) {
                if (batch.isEmpty()) {
                    queue.poll();
                    importRun = run;
                }
                return;
            }
            batch.add((Pending) queue.poll());
        }
    }

    /**
     * Runs the taken import in a transaction of its own and completes its future. It is not retried: a failure rolls
     * everything back and is reported to the importer, who may run it again (an import is idempotent).
     */
    private void runImport(final long nowMs) {
        final ImportRun run = importRun;
        importRun = null;
        inFlightOps = 1;
        try {
            if (unavailable) {
                throw new StorageUnavailableException(
                        "the database refuses writes: " + Failures.describe(lastFailure), lastFailure);
            }
            final Connection c = connection();
            writeHeartbeat(c, nowMs);
            final ImportOutcome outcome = new ImportTransaction(c, dialect, settings, nowMs).run(run.job());
            if (outcome.applied()) {
                c.commit();
                fileGuard.check();
            } else {
                c.rollback();
            }
            run.future().complete(outcome);
        } catch (final StorageUnavailableException e) {
            discardConnection();
            run.future().completeExceptionally(e);
        } catch (final SQLException | IOException | RuntimeException e) {
            discardConnection();
            LOG.log(
                    System.Logger.Level.WARNING,
                    "storage writer: import into tenant '" + run.job().tenant() + "' rolled back: "
                            + Failures.describe(e));
            run.future()
                    .completeExceptionally(
                            e instanceof IOException || dialect.isDataError(e)
                                    ? new IllegalArgumentException(
                                            "the import was rejected: " + Failures.describe(e), e)
                                    : new StorageUnavailableException(
                                            "the import was not committed: " + Failures.describe(e), e));
        } finally {
            inFlightOps = 0;
        }
    }

    /**
     * The database rejected the batch for its data (a value it cannot store), which names no culprit: commits the
     * ops one by one, in order, so only the ops the database rejects fail and the others are committed. If the
     * database itself starts failing meanwhile, what is left goes back to the normal retry.
     */
    private void isolate(final long nowMs, final Exception cause) {
        LOG.log(
                System.Logger.Level.WARNING,
                "storage writer: the database rejected a batch of " + batch.size() + " ops (" + Failures.describe(cause)
                        + "); committing them one at a time");
        final List<Pending> ops = new ArrayList<>(batch);
        batch.clear();
        for (int i = 0; i < ops.size(); i++) {
            final Pending p = ops.get(i);
            try {
                acknowledge(p, commit(List.of(p), nowMs).getFirst());
            } catch (final SQLException | RuntimeException e) {
                discardConnection();
                if (!dialect.isDataError(e)) {
                    batch.addAll(ops.subList(i, ops.size()));
                    inFlightOps = batch.size();
                    scheduleRetry(nowMs, e);
                    return;
                }
                LOG.log(
                        System.Logger.Level.WARNING,
                        "storage writer: the database rejected an op (" + OpCodec.kind(p.op()) + ", tenant '"
                                + p.op().tenant() + "'): " + Failures.describe(e));
                p.future()
                        .completeExceptionally(new StorageUnavailableException(
                                "the database rejected the op: " + Failures.describe(e), e));
            }
        }
        inFlightOps = 0;
    }

    /**
     * The batch's commit may have landed and the database still cannot say. Failing its ops would answer 503 for
     * writes that may be stored, and a client retrying them would store them twice; so they are never failed: the
     * writer turns unavailable (new submits fail at once, readiness reports it) and asks again every
     * {@link StorageSettings#probeIntervalMs} until the database answers. Their requests stop waiting at their own
     * deadline; close() fails them if the database never answers.
     */
    private void holdInDoubt(final long nowMs, final Exception cause) {
        if (!unavailable) {
            LOG.log(
                    System.Logger.Level.ERROR,
                    "storage writer: the commit of " + inDoubt.size() + " ops got no answer "
                            + "and the database is unavailable (" + Failures.describe(cause)
                            + "); holding them until it can say "
                            + "whether they were committed");
            lastFailure = cause;
            unavailable = true;
        }
        retryAtMs = nowMs + settings.probeIntervalMs();
    }

    private void scheduleRetry(final long nowMs, final Exception cause) {
        if (nowMs == batchFirstAttemptMs) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "storage writer: commit of " + batch.size() + " ops failed, " + "retrying for up to "
                            + settings.commitRetryMs() + " ms: " + Failures.describe(cause));
        }
        retryAtMs = nowMs + backoffMs;
        backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
    }

    /**
     * Stops admission, lets the writer commit what is queued for up to {@link StorageSettings#closeTimeoutMs}, stops
     * the writer thread, and fails whatever is still uncommitted.
     */
    void close() {
        admission.writeLock().lock();
        try {
            closing = true;
        } finally {
            admission.writeLock().unlock();
        }
        if (runner != null) {
            awaitDrained();
            runner.close();
        } else {
            final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.closeTimeoutMs());
            while (!drained.isDone() && System.nanoTime() - deadlineNs < 0) {
                doWork();
            }
        }
        final List<Queued> left = new ArrayList<>(batch);
        queue.drainTo(left);
        batch.clear();
        inFlightOps = 0;
        if (!left.isEmpty()) {
            LOG.log(
                    System.Logger.Level.ERROR,
                    "storage writer: closed with " + left.size() + " ops uncommitted after " + settings.closeTimeoutMs()
                            + " ms; they were not acknowledged");
            final StorageUnavailableException e =
                    new StorageUnavailableException("storage closed before the op was committed", lastFailure);
            left.forEach(p -> p.future().completeExceptionally(e));
        }
        discardConnection();
    }

    private void awaitDrained() {
        try {
            drained.get(settings.closeTimeoutMs(), TimeUnit.MILLISECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (final ExecutionException | TimeoutException e) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "storage writer: queue not drained within " + settings.closeTimeoutMs() + " ms");
        }
    }

    private int onIdle(final long nowMs) {
        if (closing) {
            drained.complete(null);
        }
        if (unavailable) {
            if (nowMs - nextProbeMs < 0) {
                return 0;
            }
            try {
                probe(nowMs);
                recovered("a probe write committed");
            } catch (final SQLException | RuntimeException e) {
                discardConnection();
                nextProbeMs = nowMs + settings.probeIntervalMs();
            }
            return 1;
        }
        if (sideWrites.hasPending()) {
            try {
                final Connection c = connection();
                sideWrites.write(c, nowMs);
                c.commit();
            } catch (final SQLException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "storage writer: side writes failed: " + Failures.describe(e));
                discardConnection();
            }
            return 1;
        }
        return 0;
    }

    /**
     * Resolves {@link #inDoubt}: when the change log holds the last of those ops at its position with its hash, the
     * commit went through, and those ops are acknowledged and taken off the batch. Each hash chains every op before
     * it, so a match means exactly these ops landed. Throws while the database cannot answer; the doubt stays.
     *
     * @return whether the ops in doubt had landed.
     */
    private boolean acknowledgeIfLanded() throws SQLException {
        final List<Storage.ContinuityHead> heads = inDoubt;
        final Storage.ContinuityHead last =
                heads.stream().filter(Objects::nonNull).reduce((a, b) -> b).orElse(null);
        final Connection c = connection();
        boolean landed = false;
        // A batch of duplicates only (no head) wrote nothing worth finding: writing it again finds the keys again.
        if (last != null) {
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT hash FROM change_log WHERE tenant_id = ? AND seq = ?")) {
                ps.setString(1, last.tenant());
                ps.setLong(2, last.length());
                try (ResultSet rs = ps.executeQuery()) {
                    landed = rs.next() && last.headHex().equals(rs.getString(1));
                }
            }
        }
        c.rollback();
        inDoubt = null;
        LOG.log(
                System.Logger.Level.WARNING,
                "storage writer: a commit of " + heads.size() + " ops got no answer; "
                        + (landed
                                ? "it was committed, acknowledging them"
                                : "it was not committed, writing them again"));
        if (landed) {
            final List<Pending> done = batch.subList(0, heads.size());
            for (int i = 0; i < heads.size(); i++) {
                acknowledge(done.get(i), heads.get(i));
            }
            done.clear();
            inFlightOps = batch.size();
        }
        return landed;
    }

    private List<Storage.ContinuityHead> commit(final List<Pending> ops, final long nowMs) throws SQLException {
        final Connection c = connection();
        writeHeartbeat(c, nowMs);
        final List<Storage.ContinuityHead> heads = new ArrayList<>(ops.size());
        try (BatchApplier applier = new BatchApplier(c, dialect, settings.engine(), nowMs)) {
            for (final Pending p : ops) {
                // The key and the op commit together or not at all; a key already stored means "not again".
                final boolean fresh = p.claim() == null || IdempotencyKeys.claim(c, p.claim(), nowMs);
                heads.add(fresh ? applier.apply(p.op(), p.payload()) : null);
            }
            applier.flush();
            if (sideWrites.hasPending()) {
                sideWrites.write(c, nowMs);
            }
            applier.announce(origin.getAsInt());
        }
        try {
            c.commit();
        } catch (final SQLException e) {
            // A rejected commit (a deferred constraint) or a full disk certainly did not commit; any other failure
            // may have. (Holding a disk-full batch in doubt answered its requests after 30 s, then committed it once
            // space returned: a retry stored it twice.)
            inDoubt = dialect.isDataError(e) || dialect.isCertainlyNotCommitted(e) ? null : heads;
            throw e;
        }
        fileGuard.check();
        return heads;
    }

    /** Completes a committed op's future: its head, or, for an op whose idempotency key was already stored, a
     * {@link DuplicateRequestException} (the op was not applied). */
    private static void acknowledge(final Pending p, final Storage.ContinuityHead head) {
        if (head == null) {
            p.future()
                    .completeExceptionally(new DuplicateRequestException(
                            p.claim().tenant(), p.claim().key()));
        } else {
            p.future().complete(head);
        }
    }

    private void probe(final long nowMs) throws SQLException {
        final Connection c = connection();
        writeHeartbeat(c, nowMs);
        c.commit();
        fileGuard.check();
    }

    /**
     * Rewrites the one {@code writer_probe} row. Every batch does this first, so its transaction holds the write lock
     * before it reads anything (a chain head), and on SQLite can never fail to upgrade a read lock to a write lock;
     * while the database refuses writes, the same write alone is the recovery probe.
     */
    private static void writeHeartbeat(final Connection c, final long nowMs) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO writer_probe (id, written_at) VALUES (1, ?) "
                + "ON CONFLICT (id) DO UPDATE SET written_at = excluded.written_at")) {
            ps.setLong(1, nowMs);
            ps.executeUpdate();
        }
    }

    private void giveUp(final long nowMs, final Exception cause) {
        LOG.log(
                System.Logger.Level.ERROR,
                "storage writer: " + batch.size() + " ops not committed after " + (nowMs - batchFirstAttemptMs)
                        + " ms, failing them; database unavailable: " + Failures.describe(cause));
        final StorageUnavailableException e = new StorageUnavailableException(
                "the database did not accept the write: " + Failures.describe(cause), cause);
        batch.forEach(p -> p.future().completeExceptionally(e));
        batch.clear();
        inFlightOps = 0;
        lastFailure = cause;
        nextProbeMs = nowMs + settings.probeIntervalMs();
        unavailable = true;
    }

    private void recovered(final String how) {
        unavailable = false;
        LOG.log(System.Logger.Level.INFO, "storage writer: database accepts writes again (" + how + ")");
    }

    private Connection connection() throws SQLException {
        if (connection == null) {
            final Connection c = connections.getConnection();
            c.setAutoCommit(false);
            connection = c;
        }
        return connection;
    }

    private void discardConnection() {
        final Connection c = connection;
        connection = null;
        if (c == null) {
            return;
        }
        try {
            c.rollback();
        } catch (final SQLException ignored) {
            // The connection is being thrown away; a failed rollback leaves nothing committed.
        }
        try {
            c.close();
        } catch (final SQLException ignored) {
            // Closing a broken connection may fail; it is unreachable from here on either way.
        }
    }
}
