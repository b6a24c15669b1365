package ai.continuum.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.server.TestServer;
import ai.continuum.server.config.ConfigKey;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Protocol-level answers: JSON the parser refuses by its limits is a 400 (never a 500), unknown routes are 404 with or
 * without a key, a wrong method is 405 with {@code Allow}, unknown {@code /observe} paths use the one error shape, and a
 * browser's preflight passes whatever spacing it puts in {@code Access-Control-Request-Headers}.
 */
// Real socket: raw request bytes (bad chunk sizes, browser preflights) and the web server's observe feature.
class HttpSemanticsTest {
    @TempDir
    static Path dataDir;

    static TestServer server;
    static String key;

    @BeforeAll
    static void start() {
        server = TestServer.start(
                dataDir,
                Map.of(
                        ConfigKey.MAX_BODY_BYTES,
                        Integer.toString(32 << 20),
                        ConfigKey.CORS_ORIGINS,
                        "http://localhost:3000"));
        key = server.createKey("proto");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static void assertErrorShape(final TestServer.Reply r, final int status, final String what) {
        assertEquals(status, r.status(), what + ": " + r.body());
        assertNotNull(r.json(), what + " must answer JSON: " + r.body());
        assertNotNull(r.json().get("error"), what);
        assertNotNull(r.json().get("message"), what);
        assertFalse(r.body().contains("Exception"), what + " leaks internals: " + r.body());
    }

    @Test
    void shouldAnswer400ForJsonBeyondTheParserLimits() {
        final String deep = "{\"message\": " + "[".repeat(1_500) + "]".repeat(1_500) + "}";
        assertErrorShape(server.post("/v1/recall", key, deep), 400, "nesting deeper than 1000");
        final String longNumber = "{\"message\": \"x\", \"max_concepts\": " + "7".repeat(1_500) + "}";
        assertErrorShape(server.post("/v1/recall", key, longNumber), 400, "number of 1500 digits");
        final String longFraction = "{\"message\": \"x\", \"max_concepts\": 1." + "7".repeat(1_500) + "}";
        assertErrorShape(server.post("/v1/recall", key, longFraction), 400, "fraction of 1500 digits");
        final String longString = "{\"message\": \"" + "a".repeat(21_000_000) + "\"}";
        final TestServer.Reply r = server.post("/v1/recall", key, longString);
        assertErrorShape(r, 400, "string of 21M characters");
        assertEquals(200, server.get("/v1/health", null).status(), "the server must survive");
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
    void shouldAnswer404ForUnknownRoutesWithOrWithoutKey() {
        for (final String path :
                new String[] {"/v1/nope", "/nope", "/v1/memories/1/extra", "/v1/keysx", "/v2/recall"}) {
            assertErrorShape(server.get(path, null), 404, path + " without a key");
            assertErrorShape(server.get(path, key), 404, path + " with a key");
        }
        assertErrorShape(server.get("/v1/stats", null), 401, "a known route still needs a key");
        assertErrorShape(server.get("/v1/keys", key), 403, "an admin route still needs the admin key");
        assertErrorShape(server.post("/v1/admin/export", key, "{}"), 403, "export is admin-only");
    }

    @Test
    void shouldAnswer405WithAllowForWrongMethod() {
        final TestServer.Reply put = server.send(server.builder("/v1/recall", null)
                .method("PUT", HttpRequest.BodyPublishers.noBody())
                .build());
        assertErrorShape(put, 405, "PUT /v1/recall");
        assertEquals(Set.of("POST"), methods(put.header("Allow")));
        final TestServer.Reply getLearn = server.get("/v1/learn", key);
        assertErrorShape(getLearn, 405, "GET /v1/learn");
        final TestServer.Reply patchKeys = server.send(server.builder("/v1/keys", TestServer.ADMIN_KEY)
                .method("PATCH", HttpRequest.BodyPublishers.noBody())
                .build());
        assertErrorShape(patchKeys, 405, "PATCH /v1/keys");
        assertEquals(Set.of("GET", "POST"), methods(patchKeys.header("Allow")));
    }

    @Test
    void shouldAnswerUnknownObservePathsInTheErrorShape() {
        assertErrorShape(server.get("/observe/nope", null), 404, "/observe/nope");
        assertErrorShape(server.get("/observe/health/nope", null), 404, "/observe/health/nope");
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

    private static Set<String> methods(final String allow) {
        assertNotNull(allow, "Allow header");
        return Arrays.stream(allow.split(",")).map(String::strip).collect(Collectors.toCollection(TreeSet::new));
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
