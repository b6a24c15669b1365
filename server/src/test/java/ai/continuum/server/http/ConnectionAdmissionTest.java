package ai.continuum.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.server.Await;
import ai.continuum.server.LogCapture;
import ai.continuum.server.TestServer;
import ai.continuum.server.config.ConfigKey;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the listener does with connections it should not keep: past {@code server.max-connections} a new connection is
 * answered 503 at once and closed (Helidon alone leaves it waiting in the accept backlog), and a request body that
 * trickles in is cut off at its deadline while an upload at a normal pace, longer than the same deadline, is answered.
 * Raw sockets throughout: the point is what happens on the wire.
 *
 * <p>Real socket: connection limits and refusals are properties of the listener.
 */
class ConnectionAdmissionTest {
    private static final String PARTIAL = "GET /v1/health HTTP/1.1\r\nHost: localhost\r\n";

    @TempDir
    Path dir;

    @Test
    void shouldRefuseAConnectionPastTheCapAtOnceAndServeAgainAfter() throws Exception {
        try (TestServer server = TestServer.start(dir, Map.of(ConfigKey.MAX_CONNECTIONS, "8"))) {
            final int port = server.server().port();
            final List<Socket> held = new ArrayList<>();
            try {
                for (int i = 0; i < 8; i++) {
                    final Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
                    socket.getOutputStream().write(PARTIAL.getBytes(StandardCharsets.US_ASCII));
                    held.add(socket);
                }
                // The eight are admitted once their handlers start; until then a ninth could still slip in.
                awaitOpen(server, 8);
                try (Socket ninth = new Socket(InetAddress.getLoopbackAddress(), port)) {
                    // A connection left in the accept backlog is never answered: any read timeout tells the two
                    // apart, so it is generous for a loaded machine rather than a measure of "at once".
                    ninth.setSoTimeout(15_000);
                    ninth.getOutputStream()
                            .write("GET /v1/health HTTP/1.1\r\nHost: localhost\r\n\r\n"
                                    .getBytes(StandardCharsets.US_ASCII));
                    final String answer = readUntilClosed(ninth.getInputStream());
                    assertTrue(answer.startsWith("HTTP/1.1 503 "), answer);
                    assertTrue(answer.contains("\r\nRetry-After: 1\r\n"), answer);
                    assertTrue(answer.contains("\r\nConnection: close\r\n"), answer);
                    assertTrue(answer.contains("{\"error\":\"too_many_connections\",\"message\":"), answer);
                }
            } finally {
                for (final Socket socket : held) {
                    socket.close();
                }
            }
            // A poll that comes before the server has seen the held connections close is refused too, and counted.
            final AtomicInteger refusedPolls = new AtomicInteger();
            Await.until(
                    "served again once the held connections left",
                    () -> server.get("/v1/health", null).status(),
                    status -> {
                        if (status == 503) {
                            refusedPolls.incrementAndGet();
                        }
                        return status == 200;
                    });
            final String metrics = server.get("/metrics", null).body();
            final String refused = "continuum_connections_refused_total " + (1.0 + refusedPolls.get());
            assertTrue(
                    metrics.contains(refused),
                    () -> "expected " + refused + " (the ninth and refused polls): " + metrics);
        }
    }

    /** A body shorter than its Content-Length, the client's side then closed: a 400 that says so, and the close. */
    @Test
    void shouldAnswer400ForABodyEndingBeforeItsDeclaredLength() throws Exception {
        try (TestServer server = TestServer.start(dir, Map.of())) {
            try (Socket socket =
                    new Socket(InetAddress.getLoopbackAddress(), server.server().port())) {
                socket.setSoTimeout(15_000);
                final OutputStream out = socket.getOutputStream();
                out.write(("POST /v1/recall HTTP/1.1\r\nHost: localhost\r\nX-API-Key: " + TestServer.ADMIN_KEY
                                + "\r\nContent-Type: application/json\r\nContent-Length: 50\r\n\r\n{\"message\":")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                socket.shutdownOutput();
                final String answer = readUntilClosed(socket.getInputStream());
                assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
                assertTrue(answer.contains("the connection failed or ended early"), answer);
            }
            assertEquals(200, server.get("/v1/health", null).status(), "the listener still answers");
        }
    }

    @Test
    void shouldCloseATrickledBodyAtItsDeadline() throws Exception {
        // the request whose connection was cut still gets its access line, naming its client, and no unhandled error
        try (LogCapture logs = LogCapture.of(AccessLogFilter.LOGGER, ErrorMapping.class.getName());
                TestServer server = TestServer.start(dir, Map.of(ConfigKey.BODY_TIMEOUT_SECONDS, "2"))) {
            final List<LogRecord> records = logs.records();
            try (Socket socket =
                    new Socket(InetAddress.getLoopbackAddress(), server.server().port())) {
                socket.setSoTimeout(15_000);
                final OutputStream out = socket.getOutputStream();
                // Taken before the headers go out, so the body's deadline cannot start earlier than this.
                final long start = System.nanoTime();
                out.write(("POST /v1/learn HTTP/1.1\r\nHost: localhost\r\nX-API-Key: " + TestServer.ADMIN_KEY
                                + "\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                // A byte every 300 ms: well inside the 20 s socket read timeout, far below 500 bytes a second.
                final Thread trickle = Thread.ofVirtual().start(() -> {
                    try {
                        for (int i = 0; i < 100; i++) {
                            Thread.sleep(300);
                            out.write(' ');
                            out.flush();
                        }
                    } catch (final IOException | InterruptedException e) {
                        // the server closed the connection: what the test waits for
                    }
                });
                try {
                    final String answer = readUntilClosed(socket.getInputStream());
                    assertEquals("", answer, "closed without an answer");
                } catch (final SocketTimeoutException e) {
                    throw new AssertionError("a trickled body kept its connection for 15 s", e);
                } catch (final IOException e) {
                    // a reset is a close too
                }
                // Not before its deadline; the upper bound is the read timeout above (the server's own read timeout
                // would close it after 20 s), and the counter below says the body deadline is what closed it.
                final long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertTrue(millis >= 2_000, "closed after " + millis + " ms, before the 2 s body deadline");
                trickle.interrupt();
            }
            final String metrics = server.get("/metrics", null).body();
            assertTrue(metrics.contains("continuum_connections_timeouts_total{phase=\"body\"} 1.0"), metrics);
            final LogRecord line = Await.until(
                    "the cut request's access line",
                    () -> records.stream()
                            .filter(r ->
                                    r.getMessage() != null && r.getMessage().contains("\"POST /v1/learn\""))
                            .findFirst()
                            .orElse(null),
                    r -> r != null);
            assertTrue(line.getMessage().startsWith("127.0.0.1 "), line.getMessage());
            assertEquals(
                    List.of(),
                    logs.atLeast(Level.SEVERE).stream()
                            .map(r -> r.getMessage() + " " + r.getThrown())
                            .toList(),
                    "nothing logged as an unhandled error");
        }
    }

    @Test
    void shouldAnswerAnUploadAtNormalSpeedThatTakesLongerThanTheBodyTimeout() throws Exception {
        try (TestServer server = TestServer.start(dir, Map.of(ConfigKey.BODY_TIMEOUT_SECONDS, "1"))) {
            // 600 kB in 20 pieces, 150 ms apart: 3 s, three times the body timeout, at 200 kB/s.
            final int pieces = 20;
            final byte[] piece = "a".repeat(30_000).getBytes(StandardCharsets.US_ASCII);
            final byte[] head = "{\"no_such_field\":\"".getBytes(StandardCharsets.US_ASCII);
            final byte[] tail = "\"}".getBytes(StandardCharsets.US_ASCII);
            final int length = head.length + pieces * piece.length + tail.length;
            try (Socket socket =
                    new Socket(InetAddress.getLoopbackAddress(), server.server().port())) {
                socket.setSoTimeout(30_000);
                final OutputStream out = socket.getOutputStream();
                out.write(("POST /v1/learn HTTP/1.1\r\nHost: localhost\r\nX-API-Key: " + TestServer.ADMIN_KEY
                                + "\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: "
                                + length + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(head);
                for (int i = 0; i < pieces; i++) {
                    out.write(piece);
                    out.flush();
                    Thread.sleep(150);
                }
                out.write(tail);
                out.flush();
                final String answer = readUntilClosed(socket.getInputStream());
                // Answered after the whole body was read: the request is refused for what it says, not cut off.
                assertTrue(answer.startsWith("HTTP/1.1 400 ") || answer.startsWith("HTTP/1.1 422 "), answer);
            }
            final String metrics = server.get("/metrics", null).body();
            assertTrue(metrics.contains("continuum_connections_timeouts_total{phase=\"body\"} 0.0"), metrics);
        }
    }

    private static void awaitOpen(final TestServer server, final int count) {
        final String line = "continuum_connections_open " + count + ".0";
        // Over a direct call, not HTTP: a request would need a connection of its own.
        Await.until(count + " open connections", () -> server.server().metrics().scrape(), text -> text.contains(line));
    }

    private static String readUntilClosed(final InputStream in) throws IOException {
        final ByteArrayOutputStream answer = new ByteArrayOutputStream();
        final byte[] buffer = new byte[8192];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            answer.write(buffer, 0, n);
        }
        return answer.toString(StandardCharsets.UTF_8);
    }
}
