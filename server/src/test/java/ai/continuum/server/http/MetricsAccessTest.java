package ai.continuum.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.server.DirectServer;
import ai.continuum.server.TestServer;
import ai.continuum.server.config.ConfigKey;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsAccessTest {
    @Test
    void shouldRequireAdminKeyForMetricsWhenNotPublic(@TempDir final Path dataDir) {
        try (DirectServer server = DirectServer.start(dataDir, Map.of(ConfigKey.METRICS_PUBLIC, "false"))) {
            assertEquals(401, server.get("/metrics", null).status());
            final String tenantKey = server.createKey("tenant");
            for (final String path : new String[] {"/metrics", "/metrics/", "//metrics"}) {
                final int status = server.get(path, tenantKey).status();
                assertTrue(status == 403 || status == 404, path + " -> " + status);
            }
            assertEquals(200, server.get("/metrics", TestServer.ADMIN_KEY).status());
            assertEquals(200, server.get("/v1/health", null).status(), "health stays public");
        }
    }
}
