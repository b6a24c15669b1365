package ai.continuum.server.core;

import ai.continuum.server.storage.ChangeFeed;
import ai.continuum.server.storage.ChangeSignals;
import java.sql.SQLException;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Follows the change log other instances write to a shared database: waits for their announcements
 * ({@link ChangeSignals}) and hands each grown tenant to the {@link EngineApplier}, which reads and applies the new ops
 * in chain order. Every {@code pollMillis} it also reads every tenant's chain head (announcements are lost while the
 * listening connection is down; a reconnect triggers an immediate poll) and renews this instance's number.
 * Revoked keys announced elsewhere are passed on; after a reconnect every cached key is dropped, since a revocation
 * may have been missed.
 *
 * <p>Thread model: one daemon thread {@code continuum-change-follower}; {@link #lagSeconds} from any thread.
 */
final class ChangeFollower implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ChangeFollower.class.getName());

    private final ChangeFeed storage;
    private final EngineApplier applier;
    private final ChangeSignals signals;
    private final Consumer<String> keys;
    private final long pollMillis;
    private final Thread thread;
    private volatile boolean closed;
    /** When the engine was first seen behind, epoch ms; 0 while caught up. Written by the follower thread. */
    private volatile long behindSinceMs;
    /** Whether the listening connection was down at the last attempt (to log an outage once). */
    private boolean down;

    ChangeFollower(
            final ChangeFeed storage,
            final EngineApplier applier,
            final ChangeSignals signals,
            final Consumer<String> keys,
            final long pollMillis) {
        this.storage = storage;
        this.applier = applier;
        this.signals = signals;
        this.keys = keys;
        this.pollMillis = pollMillis;
        this.thread = new Thread(this::run, "continuum-change-follower");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Seconds the engine has been behind the heads this instance knows of (0 when caught up). */
    double lagSeconds() {
        final long since = behindSinceMs;
        return since == 0 ? 0 : (System.currentTimeMillis() - since) / 1000.0;
    }

    private void run() {
        long nextPollMs = 0;
        while (!closed) {
            final long now = System.currentTimeMillis();
            if (now >= nextPollMs) {
                poll();
                nextPollMs = now + pollMillis;
            }
            try {
                final ChangeSignals.Signals s = signals.await(Math.max(1, nextPollMs - System.currentTimeMillis()));
                if (s.reconnected()) {
                    if (down) {
                        LOG.info("change announcements: listening again; catching up through the poll");
                    }
                    down = false;
                    keys.accept(null);
                    nextPollMs = 0;
                }
                s.heads().forEach(applier::follow);
                s.revokedKeys().forEach(keys);
            } catch (final SQLException | RuntimeException e) {
                if (closed) {
                    return;
                }
                if (!down) {
                    LOG.log(
                            Level.WARNING,
                            "change announcements: the listening connection failed (" + e.getMessage()
                                    + "); following through the poll every " + pollMillis + " ms until it is back");
                }
                down = true;
                sleep(Math.min(pollMillis, 1_000));
            }
            observeLag();
        }
    }

    private void poll() {
        try {
            storage.heads().forEach(applier::follow);
            storage.instanceLease().renew();
        } catch (final RuntimeException e) {
            LOG.log(Level.FINE, "catch-up poll failed", e);
        }
    }

    private void observeLag() {
        if (applier.lagOps() == 0) {
            behindSinceMs = 0;
        } else if (behindSinceMs == 0) {
            behindSinceMs = System.currentTimeMillis();
        }
    }

    private static void sleep(final long millis) {
        try {
            Thread.sleep(millis);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        signals.close();
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
