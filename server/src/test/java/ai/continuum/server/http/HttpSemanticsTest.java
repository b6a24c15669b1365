package ai.continuum.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.server.TestServer;
import ai.continuum.server.config.ConfigKey;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Protocol-level answers of the listener: unparsable request lines and header blocks and a bad chunk size are a 4xx in
 * the one error shape, unknown {@code /observe} paths use that shape too, and a browser's preflight passes whatever
 * spacing it puts in {@code Access-Control-Request-Headers}. The routing's own answers (404, 405, parser limits) are
 * {@link RouteAnswersTest}'s.
 *
 * <p>Real socket: raw request bytes no client sends, and the web server's observe and CORS features.
 */
class HttpSemanticsTest {
    @TempDir
    static Path dataDir;

    static TestServer server;
    static String key;

    @BeforeAll
    static void start() {
        server = TestServer.start(dataDir, Map.of(ConfigKey.CORS_ORIGINS, "http://localhost:3000"));
        key = server.createKey("proto");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void shouldAnswerJsonErrorForUnparsableRequestLine() throws IOException {
        for (final String raw : new String[] {
            "GARBAGE\r\n\r\n",
            "GET /v1/health HTTP/1.1\r\nBad Header\r\n\r\n",
            "GET /" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\n\r\n"
        }) {
            final String answer = exchange(raw);
            assertTrue(answer.startsWith("HTTP/1.1 4"), raw.substring(0, 10) + " -> " + answer);
            assertTrue(answer.contains("{\"error\":"), answer);
        }
    }

    @Test
    void shouldAnswer400ForMalformedChunkSize() throws IOException {
        final String raw = "POST /v1/recall HTTP/1.1\r\nHost: localhost\r\nX-API-Key: " + key + "\r\n"
                + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n{\"message\":\"x\"}\r\n0\r\n\r\n";
        final String answer = exchange(raw);
        assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
        assertTrue(answer.contains("{\"error\":"), answer);
    }

    @Test
    void shouldAnswerUnknownObservePathsInTheErrorShape() {
        RouteAnswersTest.assertErrorShape(server.get("/observe/nope", null), 404, "/observe/nope");
        RouteAnswersTest.assertErrorShape(server.get("/observe/health/nope", null), 404, "/observe/health/nope");
        final TestServer.Reply health = server.get("/observe/health", null);
        assertEquals(200, health.status());
        assertFalse(
                health.body().contains("diskSpace") || health.body().contains("totalBytes"),
                "no disk sizes for anonymous callers: " + health.body());
        // The probes' paths, public: served by the web server's observe feature, so checked here on the socket.
        assertEquals(200, server.get("/observe/health/live", null).status());
        assertEquals(200, server.get("/observe/health/ready", null).status());
    }

    /** The preflight exactly as Chromium sends it for a fetch() with JSON and an API key: no space after the comma. */
    @Test
    void shouldAnswerChromiumPreflight() throws IOException {
        final String raw = "OPTIONS /v1/recall HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + server.server().port() + "\r\n"
                + "Connection: keep-alive\r\n"
                + "Accept: */*\r\n"
                + "Access-Control-Request-Method: POST\r\n"
                + "Access-Control-Request-Headers: content-type,x-api-key\r\n"
                + "Origin: http://localhost:3000\r\n"
                + "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
                + "Chrome/131.0.0.0 Safari/537.36\r\n"
                + "Sec-Fetch-Mode: cors\r\n"
                + "Sec-Fetch-Site: same-site\r\n"
                + "Sec-Fetch-Dest: empty\r\n"
                + "Referer: http://localhost:3000/\r\n"
                + "Accept-Encoding: gzip, deflate, br, zstd\r\n"
                + "Accept-Language: en-US,en;q=0.9\r\n"
                + "\r\n";
        final String answer = exchange(raw);
        assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
        final String lower = answer.toLowerCase(java.util.Locale.ROOT);
        assertTrue(lower.contains("access-control-allow-origin: http://localhost:3000"), answer);
        assertTrue(lower.contains("access-control-allow-headers:") && lower.contains("x-api-key"), answer);
    }

    /** Sends {@code raw} on a fresh connection and returns the head and start of the answer. */
    private static String exchange(final String raw) throws IOException {
        try (Socket socket =
                new Socket(InetAddress.getLoopbackAddress(), server.server().port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(raw.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            final byte[] buffer = new byte[8192];
            final int n = socket.getInputStream().read(buffer);
            return n <= 0 ? "" : new String(buffer, 0, n, StandardCharsets.UTF_8);
        }
    }
}
