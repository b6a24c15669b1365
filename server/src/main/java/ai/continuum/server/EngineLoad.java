package ai.continuum.server;

import ai.continuum.server.core.ContinuumCore;
import ai.continuum.server.snapshot.SnapshotStore;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * The engine's load at start ({@link ContinuumCore#load}: a snapshot restore or the SQL rebuild) on a thread of its
 * own, so that the web server is built and started meanwhile. Its failure, an {@link Error} such as an
 * {@link OutOfMemoryError} included, is thrown again as it was by {@link #await}.
 */
final class EngineLoad {
    private final FutureTask<String> task;

    private EngineLoad(final FutureTask<String> task) {
        this.task = task;
    }

    /**
     * Starts loading {@code core}'s engine.
     *
     * @param snapshots null to always rebuild from the database.
     */
    static EngineLoad start(final ContinuumCore core, final SnapshotStore snapshots) {
        final FutureTask<String> task = new FutureTask<>(() -> core.load(snapshots));
        // Not a daemon: a start that fails waits for it (awaitQuietly) before closing the engine it writes into.
        Thread.ofPlatform().name("continuum-engine-load").start(task);
        return new EngineLoad(task);
    }

    /** Waits for the load and returns its line for the start-up log; throws what the load threw. */
    String await() {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return task.get();
                } catch (final InterruptedException e) {
                    // The start cannot go on without the engine, nor close it while the load writes into it.
                    interrupted = true;
                } catch (final ExecutionException e) {
                    final Throwable cause = e.getCause();
                    if (cause instanceof final RuntimeException r) {
                        throw r;
                    }
                    if (cause instanceof final Error err) {
                        throw err;
                    }
                    throw new IllegalStateException("loading the engine failed: " + cause, cause);
                } catch (final CancellationException e) {
                    throw new IllegalStateException("loading the engine was cancelled", e);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Waits for the load to end, whatever its outcome (a start that failed otherwise, before closing the engine). */
    void awaitQuietly() {
        try {
            await();
        } catch (final RuntimeException | Error e) {
            // The start is already failing for another reason, which is the one reported.
        }
    }
}
