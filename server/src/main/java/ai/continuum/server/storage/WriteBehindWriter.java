package ai.continuum.server.storage;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import javax.sql.DataSource;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.EpochClock;

/**
 * The write-behind writer: request threads submit ops onto a bounded queue ({@link WriteQueue}); one writer thread
 * drains it in batches and commits each batch in one transaction ({@link BatchCommitter}), then completes the batch's
 * futures once the commit is durable. An op is acknowledged only after the transaction holding it committed and, on
 * SQLite, after the log holding that commit was synced ({@link LogSyncer}, which syncs one batch while the writer
 * commits the next), so an acknowledged op survives a crash of the process or of the machine. Imports queue alongside
 * and commit alone ({@link ImportRunner}).
 *
 * <p>Failure: a batch whose commit fails is rolled back, its connection discarded, and retried with backoff
 * ({@link CommitRetry}) for {@link StorageSettings#commitRetryMs}; then its futures fail with
 * {@link StorageUnavailableException} and writes turn <em>unavailable</em> ({@link WriteAvailability}): new submits
 * fail at once, queued ops are tried once each batch, and a probe write every {@link StorageSettings#probeIntervalMs}
 * detects recovery. Nothing half-written is ever committed: a batch commits whole or not at all. A COMMIT that fails
 * without an answer may have committed; before writing such a batch again, the writer looks for it in the change log
 * ({@link InDoubtCommit}), so a batch is never applied twice, and until the database can tell, the batch is held
 * rather than failed (a 503 for a write that landed would invite a retry that stores it twice). A batch the database
 * rejects for its data (a constraint, a value it cannot store) is not a database failure: its ops are committed one at
 * a time so that only the offending ops fail.
 *
 * <p>Thread model: {@link #doWork} and every field not marked otherwise belong to the writer thread (an
 * {@link AgentRunner} with a backoff idle strategy, or the test calling {@code doWork} directly). {@link #submit} and
 * {@link #queueDepth} are called from any thread. Futures are completed on the writer thread or the log syncer's:
 * callers should block on them or chain {@code *Async} stages, never run slow work in a non-async stage.
 */
final class WriteBehindWriter implements Agent {
    private static final System.Logger LOG = System.getLogger(WriteBehindWriter.class.getName());

    private final WriteQueue queue;
    private final WriteAvailability availability = new WriteAvailability();
    private final WriterConnection connection;
    private final BatchCommitter committer;
    private final InDoubtCommit inDoubt = new InDoubtCommit();
    private final CommitRetry retry;
    private final ImportRunner imports;
    private final StorageSettings settings;
    private final SqlDialect dialect;
    private final EpochClock clock;
    private final SideWrites sideWrites;
    /** Completed by the writer when closing and nothing is left to commit. */
    private final CompletableFuture<Void> drained = new CompletableFuture<>();

    private final List<WriteQueue.Pending> batch;
    /** SQLite: copies the log into the file off the writer thread once {@link #start} ran; null on PostgreSQL. */
    private final WalCheckpointer checkpointer;
    /**
     * SQLite with {@link StorageSettings.Durability#FULL}: the log the commits are synced through, and what
     * acknowledges them once synced; null otherwise (PostgreSQL's {@code COMMIT} returns once durable, and
     * {@code NORMAL} does not sync commits).
     */
    private final WalFile wal;

    private final LogSyncer logSync;

    private AgentRunner runner;

    WriteBehindWriter(
            final DataSource connections,
            final SqlDialect dialect,
            final StorageSettings settings,
            final EpochClock clock,
            final SideWrites sideWrites,
            final DatabaseFileGuard fileGuard) {
        this.settings = settings;
        this.dialect = dialect;
        this.clock = clock;
        this.sideWrites = sideWrites;
        this.queue = new WriteQueue(settings.queueCapacity(), availability);
        this.connection = new WriterConnection(connections, dialect, fileGuard);
        this.committer = new BatchCommitter(connection, dialect, settings, sideWrites, inDoubt);
        this.retry = new CommitRetry(settings);
        this.imports = new ImportRunner(connection, dialect, settings, availability, sideWrites, this::whenDurable);
        this.batch = new ArrayList<>(settings.maxBatchOps());
        this.checkpointer = dialect == SqlDialect.SQLITE ? new WalCheckpointer(connections) : null;
        final boolean syncsLog = dialect == SqlDialect.SQLITE
                && settings.durability() == StorageSettings.Durability.FULL
                && fileGuard.file() != null;
        this.wal = syncsLog ? WalFile.of(fileGuard.file()) : null;
        this.logSync = syncsLog ? new LogSyncer(wal::sync) : null;
        if (syncsLog) {
            connection.syncsElsewhere();
        }
    }

    /** Names this process in its change announcements (its own follower then skips them). */
    void origin(final IntSupplier instanceNumber) {
        committer.origin(instanceNumber);
    }

    /** Starts the dedicated writer thread. Without it, the owner drives {@link #doWork} itself (tests). */
    void start() {
        if (checkpointer != null) {
            connection.checkpointsElsewhere(WalCheckpointer.BACKSTOP_PAGES);
            checkpointer.start();
        }
        if (logSync != null) {
            logSync.start();
        }
        runner = new AgentRunner(
                // Parks at most 1 ms between polls (retries, probes and side writes are timed by it); a submit
                // unparks it at once (WriteQueue).
                new BackoffIdleStrategy(10, 5, 10_000, 1_000_000),
                e -> LOG.log(System.Logger.Level.ERROR, "storage writer: unexpected error: " + e, e),
                null,
                this);
        AgentRunner.startOnThread(runner, r -> {
            final Thread t = new Thread(r, roleName());
            t.setDaemon(true);
            queue.wakes(t);
            return t;
        });
    }

    CompletableFuture<Storage.ContinuityHead> submit(final StorageOp op) {
        return queue.submit(op, null);
    }

    /** Queues {@code op} with an idempotency claim (nullable); see {@link WriteQueue.Pending}. */
    CompletableFuture<Storage.ContinuityHead> submit(final StorageOp op, final IdempotencyClaim claim) {
        return queue.submit(op, claim);
    }

    /** Queues an import; it commits after every op queued before it, in one transaction of its own. */
    CompletableFuture<ImportOutcome> submitImport(final ImportJob job) {
        return queue.submitImport(job);
    }

    int queueDepth() {
        return queue.depth() + (logSync == null ? 0 : logSync.pendingOps());
    }

    boolean isUnavailable() {
        return availability.unavailable();
    }

    @Override
    public String roleName() {
        return "continuum-storage-writer";
    }

    @Override
    public int doWork() {
        final long nowMs = clock.time();
        if (logSync != null && logSync.failure() != null) {
            return refuseAfterFailedSync();
        }
        if (batch.isEmpty()) {
            final WriteQueue.ImportRun importRun = queue.drainInto(batch, settings.maxBatchOps());
            if (importRun != null) {
                queue.inFlight(1);
                try {
                    imports.run(importRun, nowMs);
                } finally {
                    queue.inFlight(0);
                }
                return 1;
            }
            if (batch.isEmpty()) {
                return onIdle(nowMs);
            }
            queue.inFlight(batch.size());
            retry.begin(nowMs);
        } else if (retry.waiting(nowMs)) {
            return 0;
        }
        final int ops = batch.size();
        final long startNs = System.nanoTime();
        try {
            if (inDoubt.pending() && inDoubt.resolve(connection, batch)) {
                queue.inFlight(batch.size());
                if (batch.isEmpty()) {
                    if (availability.unavailable()) {
                        availability.recovered("a commit in doubt was found committed");
                    }
                    return ops;
                }
            }
            final int writing = batch.size();
            final List<Storage.ContinuityHead> heads = committer.commit(batch, nowMs);
            queue.committed(writing, System.nanoTime() - startNs);
            if (checkpointer != null) {
                checkpointer.committed();
            }
            final List<WriteQueue.Pending> committed = List.copyOf(batch);
            batch.clear();
            queue.inFlight(0);
            whenDurable(
                    () -> {
                        for (int i = 0; i < writing; i++) {
                            committed.get(i).acknowledge(heads.get(i));
                        }
                    },
                    e -> committed.forEach(p -> p.future().completeExceptionally(e)),
                    writing);
            if (availability.unavailable()) {
                availability.recovered("a batch of " + writing + " ops committed");
            }
        } catch (final SQLException | RuntimeException e) {
            connection.discard();
            if (dialect.isDataError(e)) {
                isolate(nowMs, e);
            } else if (inDoubt.pending() && retry.expired(nowMs)) {
                holdInDoubt(nowMs, e);
            } else if (!inDoubt.pending() && (availability.unavailable() || retry.expired(nowMs))) {
                giveUp(nowMs, e);
            } else {
                scheduleRetry(nowMs, e);
            }
        }
        return ops;
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
        final List<WriteQueue.Pending> ops = new ArrayList<>(batch);
        batch.clear();
        for (int i = 0; i < ops.size(); i++) {
            final WriteQueue.Pending p = ops.get(i);
            try {
                final Storage.ContinuityHead head =
                        committer.commit(List.of(p), nowMs).getFirst();
                whenDurable(() -> p.acknowledge(head), p.future()::completeExceptionally, 1);
            } catch (final SQLException | RuntimeException e) {
                connection.discard();
                if (!dialect.isDataError(e)) {
                    batch.addAll(ops.subList(i, ops.size()));
                    queue.inFlight(batch.size());
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
        queue.inFlight(0);
    }

    /**
     * Acknowledges a committed write once it is durable ({@link WhenDurable}): here, or once {@link LogSyncer} synced
     * the log. The writer goes on to the next batch either way.
     */
    private void whenDurable(final Runnable acknowledge, final Consumer<Throwable> fail, final int ops) {
        if (logSync == null) {
            acknowledge.run();
        } else {
            logSync.afterCommit(acknowledge, fail, ops, queue.hasQueued());
        }
    }

    /**
     * A sync of the log failed: whether the last commits are on disk is unknown, and the kernel may report later syncs
     * clean without having written their pages. Writes are refused for good (the held batch and everything queued
     * fail as not applied: none of it was committed); a restart reads the database as the disk holds it.
     */
    private int refuseAfterFailedSync() {
        if (!availability.unavailable()) {
            availability.refuse(logSync.failure());
        }
        final List<WriteQueue.Queued> refused = new ArrayList<>(batch);
        batch.clear();
        queue.drainAll(refused);
        queue.inFlight(0);
        final StorageUnavailableException e = availability.refusal();
        refused.forEach(q -> q.future().completeExceptionally(e));
        if (queue.closing() && logSync.idle()) {
            drained.complete(null);
        }
        return refused.size();
    }

    /**
     * The batch's commit may have landed and the database still cannot say. Failing its ops would answer 503 for
     * writes that may be stored, and a client retrying them would store them twice; so they are never failed: writes
     * turn unavailable (new submits fail at once, readiness reports it) and the writer asks again every
     * {@link StorageSettings#probeIntervalMs} until the database answers. Their requests stop waiting at their own
     * deadline; close() fails them if the database never answers.
     */
    private void holdInDoubt(final long nowMs, final Exception cause) {
        if (!availability.unavailable()) {
            LOG.log(
                    System.Logger.Level.ERROR,
                    "storage writer: the commit of " + inDoubt.size() + " ops got no answer "
                            + "and the database is unavailable (" + Failures.describe(cause)
                            + "); holding them until it can say "
                            + "whether they were committed");
            availability.refuse(cause);
        }
        retry.holdForProbe(nowMs);
    }

    private void scheduleRetry(final long nowMs, final Exception cause) {
        if (retry.isFirstAttempt(nowMs)) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "storage writer: commit of " + batch.size() + " ops failed, " + "retrying for up to "
                            + retry.retryForMs() + " ms: " + Failures.describe(cause));
        }
        retry.backOff(nowMs);
    }

    private void giveUp(final long nowMs, final Exception cause) {
        LOG.log(
                System.Logger.Level.ERROR,
                "storage writer: " + batch.size() + " ops not committed after " + retry.sinceFirstAttempt(nowMs)
                        + " ms, failing them; database unavailable: " + Failures.describe(cause));
        final StorageUnavailableException e = new StorageUnavailableException(
                "the database did not accept the write: " + Failures.describe(cause), cause);
        batch.forEach(p -> p.future().completeExceptionally(e));
        batch.clear();
        queue.inFlight(0);
        retry.scheduleProbe(nowMs);
        availability.refuse(cause);
    }

    /**
     * Stops admission, lets the writer commit what is queued for up to {@link StorageSettings#closeTimeoutMs}, stops
     * the writer thread, and fails whatever is still uncommitted.
     */
    void close() {
        queue.closeAdmission();
        if (runner != null) {
            awaitDrained();
            runner.close();
            if (logSync != null) {
                logSync.close();
            }
            if (checkpointer != null) {
                checkpointer.close();
            }
        } else {
            final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.closeTimeoutMs());
            while (!drained.isDone() && System.nanoTime() - deadlineNs < 0) {
                doWork();
            }
        }
        final List<WriteQueue.Queued> left = new ArrayList<>(batch);
        queue.drainAll(left);
        batch.clear();
        queue.inFlight(0);
        if (!left.isEmpty()) {
            LOG.log(
                    System.Logger.Level.ERROR,
                    "storage writer: closed with " + left.size() + " ops uncommitted after " + settings.closeTimeoutMs()
                            + " ms; they were not acknowledged");
            final StorageUnavailableException e = new StorageUnavailableException(
                    "storage closed before the op was committed", availability.lastFailure());
            left.forEach(p -> p.future().completeExceptionally(e));
        }
        connection.discard();
        if (wal != null) {
            wal.close();
        }
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

    /** Nothing queued: completes the drain when closing, probes while writes are refused, else flushes side writes. */
    private int onIdle(final long nowMs) {
        if (queue.closing() && (logSync == null || logSync.idle())) {
            drained.complete(null);
        }
        if (availability.unavailable()) {
            if (!retry.probeDue(nowMs)) {
                return 0;
            }
            try {
                connection.probe(nowMs);
                availability.recovered("a probe write committed");
            } catch (final SQLException | RuntimeException e) {
                connection.discard();
                retry.scheduleProbe(nowMs);
            }
            return 1;
        }
        if (sideWrites.hasPending()) {
            try {
                final Connection c = connection.get();
                sideWrites.write(c, nowMs);
                c.commit();
            } catch (final SQLException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "storage writer: side writes failed: " + Failures.describe(e));
                connection.discard();
            }
            return 1;
        }
        return 0;
    }
}
