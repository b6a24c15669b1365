package ai.continuum.server.http;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Checks every period that something still listens on the API's address, by opening a TCP connection to it, and calls
 * {@code onLost} once when the connection is refused twice in a row: the listening socket is gone.
 *
 * <p>Why a probe and an exit rather than a restart in place: when Helidon 4.5's accept loop fails (at {@code EMFILE},
 * say, which the connection cap is meant to prevent) it logs "server socket is terminating now", closes the listening
 * socket and shuts down the executors its connections run on, so the listener cannot be resumed; the process would
 * stay up serving nothing, {@code /v1/health} included. Only a new process gets a listener back, so the watchdog
 * exits non-zero and the supervisor (Kubernetes' restart policy, systemd's {@code Restart=}, Docker's restart policy)
 * starts it again; the exit runs the shutdown hook, which commits the write queue. Kubernetes' HTTP liveness probe on
 * {@code /v1/health} would also fail against a dead listener, but only a supervisor that probes; the exit makes every
 * one notice. A refused probe is conclusive on loopback; a probe that fails any other way (the process's own descriptor
 * limit, a timeout while the accept backlog is full) says nothing about the socket and is ignored. Thread-safe.
 */
public final class ListenerWatchdog implements AutoCloseable {
    /** Exit status when the listener is lost: EX_SOFTWARE, "internal software error" in sysexits.h. */
    public static final int EXIT_LISTENER_LOST = 70;

    private static final Logger LOG = Logger.getLogger(ListenerWatchdog.class.getName());
    private static final int PROBE_TIMEOUT_MILLIS = 2_000;

    private final InetSocketAddress address;
    private final Runnable onLost;
    private final ScheduledExecutorService timer;
    private final ScheduledFuture<?> checks;
    private int refusedInARow;
    private boolean lost;

    /**
     * Starts checking {@code host:port} (a wildcard host is checked on loopback) every {@code period}.
     *
     * @param onLost called once, on the watchdog's thread, when the listener is gone.
     */
    public ListenerWatchdog(final String host, final int port, final Duration period, final Runnable onLost) {
        this.address = new InetSocketAddress(probeHost(host), port);
        this.onLost = onLost;
        this.timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("listener-watchdog").factory());
        this.checks =
                timer.scheduleWithFixedDelay(this::check, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static InetAddress probeHost(final String host) {
        try {
            final InetAddress address = InetAddress.getByName(host);
            return address.isAnyLocalAddress() ? InetAddress.getLoopbackAddress() : address;
        } catch (final IOException e) {
            return InetAddress.getLoopbackAddress();
        }
    }

    /** One probe; runs on the watchdog's thread only. */
    void check() {
        if (lost) {
            return;
        }
        try (Socket probe = new Socket()) {
            probe.connect(address, PROBE_TIMEOUT_MILLIS);
            refusedInARow = 0;
        } catch (final ConnectException e) {
            refusedInARow++;
            if (refusedInARow >= 2) {
                lost = true;
                LOG.severe("the API listener on " + address + " is gone (connections refused: " + e.getMessage()
                        + "); it cannot be restarted in this process, so the process exits with status "
                        + EXIT_LISTENER_LOST + " for its supervisor to restart it");
                onLost.run();
            }
        } catch (final IOException e) {
            // Not conclusive (our own descriptor limit, a full backlog): the socket may well be there.
            refusedInARow = 0;
        }
    }

    @Override
    public void close() {
        // No wait: close() may be called from the shutdown hook that onLost's exit started on this very thread.
        checks.cancel(false);
        timer.shutdownNow();
    }
}
