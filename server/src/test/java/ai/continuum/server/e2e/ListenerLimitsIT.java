package ai.continuum.server.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The listener under a connection flood at a lowered file-descriptor limit (the child runs under {@code ulimit -n}):
 * more half-sent requests than the process has descriptors must neither stop the listener (Helidon stops accepting for
 * good after one {@code EMFILE}) nor keep it busy once the read timeout passes; the connections past the cap are
 * answered 503 at once instead of waiting unanswered, a request made while the flood is held is answered (refused)
 * promptly, and {@code Connection: close} is honoured.
 */
class ListenerLimitsIT {
    /**
     * Low enough to flood cheaply, high enough for the start: Chronicle compiles its value classes at start with
     * javac, which opens every jar of the class path (the test class path is over 200 jars), and at 400 that start
     * failed with "Too many open files".
     */
    private static final int FD_LIMIT = 1024;

    private static final int FLOOD = 1400;
    private static final String PARTIAL = "GET /v1/health HTTP/1.1\r\nHost: localhost\r\n";

    @Test
    void shouldSurviveMoreHalfSentRequestsThanDescriptors(@TempDir final Path dir) throws Exception {
        final Path log = dir.resolve("serve.log");
        try (ServerProcess server = ServerProcess.start(
                dir.resolve("data"),
                log,
                // The read timeout must outlast the flood's refusals (64 at a time, 0.25 s each: about 3 s for the
                // ~800 past the cap here): once it closes the admitted half-sent requests, their slots admit the
                // connections still waiting, and the flood is no longer held past the cap.
                Map.of("CONTINUUM_READ_TIMEOUT_SECONDS", "8", "CONTINUUM_IDLE_TIMEOUT_SECONDS", "10"),
                FD_LIMIT)) {
            final List<Socket> flood = new ArrayList<>();
            try {
                for (int i = 0; i < FLOOD; i++) {
                    final Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port());
                    socket.getOutputStream().write(PARTIAL.getBytes(StandardCharsets.US_ASCII));
                    flood.add(socket);
                }
                // The last of the flood is past the cap (1400 connections, about 500 descriptors left): refused.
                final Socket last = flood.get(FLOOD - 1);
                last.setSoTimeout(20_000);
                final String answer = new String(last.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
                assertEquals(
                        "HTTP/1.1 503",
                        answer,
                        "the connection past the cap is refused with an answer; log:\n" + ServerProcess.tail(log));
                // And so is a request made while the flood is held, promptly rather than after the flood.
                try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
                    probe.setSoTimeout(20_000);
                    final long start = System.nanoTime();
                    probe.getOutputStream()
                            .write("GET /v1/health HTTP/1.1\r\nHost: localhost\r\n\r\n"
                                    .getBytes(StandardCharsets.US_ASCII));
                    final String refused = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                    assertTrue(
                            refused.startsWith("HTTP/1.1 503 ") && refused.contains("too_many_connections"), refused);
                    assertTrue(System.nanoTime() - start < 15_000_000_000L, "refused within 15 s");
                }
            } finally {
                for (final Socket socket : flood) {
                    socket.close();
                }
            }
            final long deadline = System.nanoTime() + 30_000_000_000L;
            int status = -1;
            while (System.nanoTime() < deadline && status != 200) {
                try {
                    status = server.get("/v1/health", null).status();
                } catch (final IOException e) {
                    Thread.sleep(200);
                }
            }
            assertEquals(
                    200, status, "the listener must accept again after the flood; log:\n" + ServerProcess.tail(log));
            final String text = Files.readString(log);
            assertFalse(text.contains("terminating"), "the listener stopped:\n" + ServerProcess.tail(log));
            assertTrue(text.contains("accepting at most"), "the connection cap is logged");

            assertClosedWithin(server.port(), PARTIAL, 13_000, "a half-sent request past the 8 s read timeout");
            // Closed about 2 s after the response (ConnectionGuard); the margin is for a loaded machine, and the bound
            // stays well below the 10 s idle timeout that would close it otherwise.
            assertClosedWithin(
                    server.port(),
                    "GET /v1/health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
                    6_000,
                    "Connection: close");
        }
    }

    /** Sends {@code raw} and expects the server to close the connection within {@code millis} (reading any answer). */
    private static void assertClosedWithin(final int port, final String raw, final int millis, final String what)
            throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(millis);
            socket.getOutputStream().write(raw.getBytes(StandardCharsets.US_ASCII));
            final InputStream in = socket.getInputStream();
            final long start = System.nanoTime();
            try {
                while (in.read() >= 0) {
                    // drain the answer, if any, until the server closes
                }
            } catch (final SocketTimeoutException e) {
                throw new AssertionError(what + ": still open after " + millis + " ms", e);
            }
            assertTrue(System.nanoTime() - start < millis * 1_000_000L, what);
        }
    }
}
