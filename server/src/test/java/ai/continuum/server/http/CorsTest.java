package ai.continuum.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.server.TestServer;
import ai.continuum.server.config.ConfigKey;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cross-origin calls: a preflight from an allowed origin is answered and others are refused, and /mcp is callable from
 * the configured origins (or any, when all are allowed).
 *
 * <p>Real socket: CORS is a feature of the web server, outside the routing.
 */
class CorsTest {
    private static final String PING = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}";

    /** A browser's preflight for a POST from {@code origin}, with the request headers as Chromium lists them. */
    private static TestServer.Reply preflight(
            final TestServer server, final String path, final String origin, final String headers) {
        final HttpRequest.Builder b =
                server.builder(path, null).header("Origin", origin).header("Access-Control-Request-Method", "POST");
        if (headers != null) {
            b.header("Access-Control-Request-Headers", headers);
        }
        return server.send(
                b.method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build());
    }

    private static TestServer.Reply mcpPing(final TestServer server, final String key, final String origin) {
        return server.send(server.builder("/mcp", key)
                .header("Origin", origin)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(PING))
                .build());
    }

    @Test
    void shouldAnswerPreflightForAllowedOriginAndRefuseOthers(@TempDir final Path dataDir) {
        try (TestServer server = TestServer.start(
                dataDir, Map.of(ConfigKey.CORS_ORIGINS, "http://localhost:3000, https://app.example.com"))) {
            final TestServer.Reply preflight =
                    preflight(server, "/v1/recall", "http://localhost:3000", "content-type, x-api-key");
            assertEquals(200, preflight.status(), preflight.body());
            assertEquals("http://localhost:3000", preflight.header("Access-Control-Allow-Origin"));

            final String key = server.createKey("web");
            final TestServer.Reply actual = server.send(server.builder("/v1/stats", key)
                    .header("Origin", "https://app.example.com")
                    .GET()
                    .build());
            assertEquals(200, actual.status(), actual.body());
            assertEquals("https://app.example.com", actual.header("Access-Control-Allow-Origin"));

            final TestServer.Reply foreign = preflight(server, "/v1/recall", "https://evil.example.net", null);
            assertTrue(foreign.status() >= 400, foreign.status() + " " + foreign.body());
            assertNull(foreign.header("Access-Control-Allow-Origin"));
        }
    }

    @Test
    void shouldLetConfiguredOriginsCallMcp(@TempDir final Path dataDir) {
        try (TestServer server = TestServer.start(dataDir, Map.of(ConfigKey.CORS_ORIGINS, "http://localhost:3000"))) {
            final TestServer.Reply preflight =
                    preflight(server, "/mcp", "http://localhost:3000", "content-type,x-api-key,mcp-protocol-version");
            assertEquals(200, preflight.status(), preflight.body());
            assertEquals("http://localhost:3000", preflight.header("Access-Control-Allow-Origin"));

            final TestServer.Reply actual = mcpPing(server, server.createKey("web"), "http://localhost:3000");
            assertEquals(200, actual.status(), actual.body());
            assertEquals("http://localhost:3000", actual.header("Access-Control-Allow-Origin"));
            assertEquals(1, actual.json().get("id").asInt(), actual.body());

            final TestServer.Reply foreign = preflight(server, "/mcp", "https://evil.example.net", null);
            assertTrue(foreign.status() >= 400, foreign.status() + " " + foreign.body());
            assertNull(foreign.header("Access-Control-Allow-Origin"));
        }
    }

    @Test
    void shouldLetAnyOriginCallMcpWhenAllAreAllowed(@TempDir final Path dataDir) {
        try (TestServer server = TestServer.start(dataDir, Map.of(ConfigKey.CORS_ORIGINS, "*"))) {
            final TestServer.Reply actual = mcpPing(server, server.createKey("web"), "https://any.example.org");
            assertEquals(200, actual.status(), actual.body());
            assertEquals(1, actual.json().get("id").asInt(), actual.body());
        }
    }
}
