package ai.continuum.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The watchdog against a real listening socket: quiet while something listens (a full backlog that never accepts
 * included), and it reports the loss once the socket is closed, as Helidon's listener closes it when its accept loop
 * fails.
 */
class ListenerWatchdogTest {
    @Test
    void shouldReportTheListenerGoneOnlyOnceItsSocketIsClosed() throws Exception {
        final AtomicInteger reports = new AtomicInteger();
        final CountDownLatch lost = new CountDownLatch(1);
        // Backlog 1 and never accepted: a listener that is saturated, not gone.
        final ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        final int port = listener.getLocalPort();
        try (ListenerWatchdog watchdog = new ListenerWatchdog("0.0.0.0", port, Duration.ofMillis(100), () -> {
            reports.incrementAndGet();
            lost.countDown();
        })) {
            assertEquals(false, lost.await(1_500, TimeUnit.MILLISECONDS), "reported while the socket listens");
            listener.close();
            assertTrue(lost.await(30, TimeUnit.SECONDS), "the closed listener was not noticed");
            // Once only, however long it stays gone: further probes (the latch publishes the watchdog's state to this
            // thread) find the port still refusing and report nothing more. A count, not the latch, which stays at 0.
            for (int i = 0; i < 3; i++) {
                watchdog.check();
            }
            assertEquals(1, reports.get(), "reported once");
        }
    }
}
