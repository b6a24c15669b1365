package ai.continuum.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.server.DirectServer;
import ai.continuum.server.TestServer;
import ai.continuum.server.config.ConfigKey;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The public {@code /metrics} names no tenant by default (totals and a tenant count instead); per-tenant series appear
 * only when the operator turns tenant labels on.
 */
class MetricsTenantLabelsTest {
    private static void learnAsTwoTenants(final DirectServer server) {
        for (final String tenant : new String[] {"acme-secret-customer", "globex-secret-customer"}) {
            final String key = server.createKey(tenant);
            final TestServer.Reply r = server.post(
                    "/v1/learn",
                    key,
                    Map.of("user_message", "Quarterly Planning notes", "ai_response", "Quarterly Planning noted."));
            assertEquals(200, r.status(), r.body());
            assertEquals(
                    200,
                    server.post("/v1/recall", key, Map.of("message", "Quarterly Planning"))
                            .status());
        }
    }

    @Test
    void shouldKeepTenantNamesOutOfPublicMetricsByDefault(@TempDir final Path dataDir) {
        try (DirectServer server = DirectServer.start(dataDir)) {
            learnAsTwoTenants(server);
            final TestServer.Reply scrape = server.get("/metrics", null);
            assertEquals(200, scrape.status(), "public by default, for in-cluster scrapers");
            final String text = scrape.body();
            assertFalse(text.contains("secret-customer"), "a tenant name leaked:\n" + text);
            assertFalse(text.contains("tenant_id="), text);
            assertTrue(text.contains("\ncontinuum_tenants 2\n"), text);
            assertTrue(text.contains("\ncontinuum_memories_total 2\n"), text);
            assertTrue(text.contains("continuum_learn_operations_total{result=\"success\"} 2.0"), text);
        }
    }

    @Test
    void shouldLabelSeriesPerTenantWhenTurnedOn(@TempDir final Path dataDir) {
        try (DirectServer server = DirectServer.start(
                dataDir, Map.of(ConfigKey.METRICS_TENANT_LABELS, "true", ConfigKey.METRICS_PUBLIC, "false"))) {
            learnAsTwoTenants(server);
            assertEquals(401, server.get("/metrics", null).status());
            final String text = server.get("/metrics", TestServer.ADMIN_KEY).body();
            assertTrue(text.contains("continuum_memories_total{tenant_id=\"acme-secret-customer\"} 1"), text);
            assertTrue(text.contains("continuum_memories_total{tenant_id=\"globex-secret-customer\"} 1"), text);
            assertTrue(
                    text.contains(
                            "continuum_learn_operations_total{result=\"success\",tenant_id=\"acme-secret-customer\"}"),
                    text);
            assertTrue(text.contains("\ncontinuum_tenants 2\n"), text);
        }
    }
}
