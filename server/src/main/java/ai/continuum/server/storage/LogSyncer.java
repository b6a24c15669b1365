package ai.continuum.server.storage;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Acknowledges the storage writer's SQLite commits once the write-ahead log holding them is synced, on a thread of its
 * own, so that the writer commits the next batch while the last one's log is being synced: group commit with the sync
 * overlapped. The writer's connection runs {@code synchronous=NORMAL}, so its {@code COMMIT} writes the log frames and
 * makes them visible but does not sync; durability is this class's: a commit is acknowledged only after a sync of the
 * log that began after the commit returned ({@link WalFile}), which is what {@code synchronous=FULL} guaranteed inside
 * the {@code COMMIT}. One sync covers every commit handed over before it began.
 *
 * <p>Order: commits are acknowledged in the order they were handed over, by one thread, as the writer acknowledged
 * them before. The writer acknowledges on its own thread (no hand-off, so a lone client waits no longer than with
 * {@code synchronous=FULL}) only when nothing handed over is still waiting or being synced.
 *
 * <p>Failure: a failed sync leaves unknown whether the commits it covered are on disk (and after a failed
 * {@code fsync} the kernel may report the next one clean without having written the pages). So the commits it covered,
 * and every commit after, fail with {@link CommitDurabilityUnknownException} (answered 500 {@code outcome_unknown}, never
 * "nothing applied": they may well be stored), and {@link #failure} tells the writer to refuse writes until the
 * service is restarted, which reads the database as it is on disk.
 *
 * <p>Thread model: {@link #afterCommit} and {@link #idle} from the writer thread; {@link #pendingOps} from any thread;
 * {@link #close} from the storage's closer once the writer stopped; the loop on its own daemon thread.
 */
final class LogSyncer implements Runnable {
    /** Syncs the log; {@link WalFile#sync} outside tests. */
    @FunctionalInterface
    interface LogSync {
        void sync() throws IOException;
    }

    /** A commit waiting for the sync that makes it durable: what acknowledging it does, and what failing it does. */
    private record Awaiting(Runnable acknowledge, Consumer<Throwable> fail, int ops) {}

    private static final System.Logger LOG = System.getLogger(LogSyncer.class.getName());

    private final LogSync log;
    /** Commits handed over and not yet taken by a sync; guarded by {@code this}. */
    private final ArrayDeque<Awaiting> pending = new ArrayDeque<>();
    /** Whether the syncer thread holds commits it took and has not acknowledged yet; guarded by {@code this}. */
    private boolean syncing;
    /** Ops handed over and not yet acknowledged or failed. */
    private volatile int pendingOps;
    /** The first failed sync; set once, then every later commit fails. */
    private volatile CommitDurabilityUnknownException failure;

    private volatile boolean closed;
    private Thread thread;

    LogSyncer(final LogSync log) {
        this.log = log;
    }

    void start() {
        thread = Thread.ofPlatform().daemon().name("continuum-log-sync").start(this);
    }

    /**
     * Writer thread, after a commit of {@code ops} ops: acknowledges it once the log holding it is synced. The sync
     * runs here, before this returns, when the syncer thread is not running (tests), or when nothing handed over is
     * still waiting and the writer has nothing more to commit ({@code moreToCommit} false); else the commit is handed
     * to the syncer thread and the writer goes on.
     */
    void afterCommit(
            final Runnable acknowledge, final Consumer<Throwable> fail, final int ops, final boolean moreToCommit) {
        final Awaiting commit = new Awaiting(acknowledge, fail, ops);
        final CommitDurabilityUnknownException failed = failure;
        if (failed != null) {
            fail.accept(failed);
            return;
        }
        final boolean here;
        synchronized (this) {
            here = thread == null || (!moreToCommit && pending.isEmpty() && !syncing);
            if (!here) {
                pending.add(commit);
                pendingOps += ops;
            }
        }
        if (here) {
            syncThenAcknowledge(List.of(commit), false);
        } else {
            LockSupport.unpark(thread);
        }
    }

    /** Whether every commit handed over was acknowledged or failed. */
    synchronized boolean idle() {
        return pending.isEmpty() && !syncing;
    }

    /** Ops committed and waiting for their sync. */
    int pendingOps() {
        return pendingOps;
    }

    /** The failed sync that makes the writer refuse writes; null while every sync succeeded. */
    CommitDurabilityUnknownException failure() {
        return failure;
    }

    @Override
    public void run() {
        while (true) {
            final List<Awaiting> taken = take();
            if (taken.isEmpty()) {
                if (closed) {
                    return;
                }
                // unparked by every hand-over; the timeout only bounds a missed wake-up
                LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(100));
                continue;
            }
            try {
                syncThenAcknowledge(taken, true);
            } finally {
                synchronized (this) {
                    syncing = false;
                }
            }
        }
    }

    private synchronized List<Awaiting> take() {
        final List<Awaiting> taken = new ArrayList<>(pending);
        pending.clear();
        syncing = !taken.isEmpty();
        return taken;
    }

    /** {@code handedOver}: the commits were counted in {@link #pendingOps} (taken by the syncer thread). */
    private void syncThenAcknowledge(final List<Awaiting> commits, final boolean handedOver) {
        int ops = 0;
        for (final Awaiting a : commits) {
            ops += a.ops();
        }
        try {
            if (failure == null) {
                log.sync();
            }
        } catch (final IOException | RuntimeException e) {
            LOG.log(
                    System.Logger.Level.ERROR,
                    "storage writer: syncing the write-ahead log failed (" + Failures.describe(e) + "); the last " + ops
                            + " committed ops may not be on disk; writes are refused until the service restarts");
            failure = new CommitDurabilityUnknownException(
                    "the commit was written but syncing it to disk failed (" + Failures.describe(e)
                            + "); it may or may not be stored",
                    e);
        }
        final CommitDurabilityUnknownException failed = failure;
        for (final Awaiting a : commits) {
            if (failed == null) {
                a.acknowledge().run();
            } else {
                a.fail().accept(failed);
            }
        }
        if (handedOver) {
            synchronized (this) {
                pendingOps -= ops;
            }
        }
    }

    /** Syncs and acknowledges what is still handed over, then stops the thread. */
    void close() {
        closed = true;
        ParkedThreads.wakeAndJoin(thread, TimeUnit.SECONDS.toMillis(30));
    }
}
