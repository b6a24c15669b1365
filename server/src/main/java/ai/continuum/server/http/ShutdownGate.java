package ai.continuum.server.http;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.time.Duration;
import java.util.Map;

/**
 * Counts the requests being served, and once {@link #close closed} refuses new ones with 503 {@code shutting_down}
 * (their handler never runs, so "nothing was applied" is true) while those already inside run to their answer. The
 * shutdown waits for {@link #awaitIdle} before it stops the web server, so no handler is interrupted between the
 * commit of its write and its answer (which would answer 503 for a write that landed).
 *
 * <p>Thread-safe: the filter runs on request threads; close and awaitIdle on the shutting-down thread.
 */
public final class ShutdownGate implements Filter {
    private final Object lock = new Object();
    /** Guarded by {@link #lock}. */
    private int inFlight;
    /** Guarded by {@link #lock}. */
    private boolean closed;

    @Override
    public void filter(final FilterChain chain, final RoutingRequest req, final RoutingResponse res) {
        synchronized (lock) {
            if (closed) {
                res.header(HeaderNames.CONNECTION, "close");
                ErrorMapping.send(
                        res,
                        new ApiException(
                                503,
                                "shutting_down",
                                "the server is shutting down; " + "nothing was applied: retry on another instance",
                                Map.of("Retry-After", "1")));
                return;
            }
            inFlight++;
        }
        try {
            chain.proceed();
        } finally {
            synchronized (lock) {
                inFlight--;
                if (inFlight == 0) {
                    lock.notifyAll();
                }
            }
        }
    }

    /** From now on new requests are refused; those inside carry on. */
    public void close() {
        synchronized (lock) {
            closed = true;
        }
    }

    /** Waits until no request is inside, at most {@code timeout}; returns how many are still inside. */
    public int awaitIdle(final Duration timeout) {
        final long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (inFlight > 0) {
                final long leftMs = (deadline - System.nanoTime()) / 1_000_000;
                if (leftMs <= 0) {
                    break;
                }
                try {
                    lock.wait(leftMs);
                } catch (final InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            return inFlight;
        }
    }
}
