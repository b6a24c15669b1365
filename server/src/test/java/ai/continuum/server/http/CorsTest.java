package ai.continuum.server.http;

import ai.continuum.server.TestServer;
import ai.continuum.server.config.ConfigKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CorsTest {
    @Test
    void shouldAnswerPreflightForAllowedOriginAndRefuseOthers(@TempDir final Path dataDir) {
        try (TestServer server = TestServer.start(dataDir, Map.of(ConfigKey.CORS_ORIGINS,
            "http://localhost:3000, https://app.example.com"))) {
            final TestServer.Reply preflight = server.send(server.builder("/v1/recall", null)
                .header("Origin", "http://localhost:3000")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type, x-api-key")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build());
            assertEquals(200, preflight.status(), preflight.body());
            assertEquals("http://localhost:3000", preflight.header("Access-Control-Allow-Origin"));

            final String key = server.createKey("web");
            final TestServer.Reply actual = server.send(server.builder("/v1/stats", key)
                .header("Origin", "https://app.example.com").GET().build());
            assertEquals(200, actual.status(), actual.body());
            assertEquals("https://app.example.com", actual.header("Access-Control-Allow-Origin"));

            final TestServer.Reply foreign = server.send(server.builder("/v1/recall", null)
                .header("Origin", "https://evil.example.net")
                .header("Access-Control-Request-Method", "POST")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build());
            assertTrue(foreign.status() >= 400, foreign.status() + " " + foreign.body());
            assertNull(foreign.header("Access-Control-Allow-Origin"));
        }
    }
}
