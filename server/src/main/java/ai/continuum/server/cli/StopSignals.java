package ai.continuum.server.cli;

import java.util.concurrent.CountDownLatch;
import java.util.logging.Logger;

/**
 * SIGTERM and SIGINT as a request to stop, handled by {@code serve} itself rather than by the JVM. The JVM's own
 * handling runs shutdown hooks and then exits with 143 (128 + SIGTERM) whatever they did, so a graceful drain could
 * never report success; handled here, the main thread drains, closes and returns exit code 0.
 *
 * <p>{@code sun.misc.Signal} (module {@code jdk.unsupported}) is the JDK's only way to handle a signal; where it is
 * not available the caller falls back to a shutdown hook (same drain, exit code 143).
 */
final class StopSignals {
    private static final Logger LOG = Logger.getLogger(StopSignals.class.getName());

    private StopSignals() {}

    /**
     * Counts {@code stop} down on the first SIGTERM or SIGINT; a second one while stopping is ignored (the drain is
     * bounded). Returns false when the signals cannot be handled here.
     */
    static boolean install(final CountDownLatch stop) {
        try {
            for (final String name : new String[] {"TERM", "INT"}) {
                sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> {
                    LOG.info("received SIG" + signal.getName() + "; shutting down gracefully");
                    stop.countDown();
                });
            }
            return true;
        } catch (final IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
            LOG.warning("cannot handle SIGTERM here (" + e + "); a stop runs the drain in a shutdown hook");
            return false;
        }
    }
}
