package ai.continuum.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.server.OneRoutingPerClass;
import ai.continuum.server.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The admin API cannot drift from the routing table: every route {@link ApiRouting} registers under an admin path
 * answers a tenant's key with 403 before its handler runs, and the admin key gets past the auth filter on each. The
 * routes come from the routing function itself ({@link RoutingTable}), so a new admin route registered with
 * {@code register} instead of {@code registerAdmin} fails here.
 */
class AdminRoutesTest extends OneRoutingPerClass {
    /** The API's admin-only areas (API.md); {@code /metrics} is public by default and tested in MetricsAccessTest. */
    private static final List<String> ADMIN_AREAS = List.of("/v1/admin", "/v1/keys", "/v1/tenants", "/v1/federation");

    @Test
    void shouldRefuseATenantKeyOnEveryAdminRoute() {
        final Set<String> routes =
                RoutingTable.ofApi(server.config(), server.core(), server.storage(), server.metrics());
        final String tenantKey = server.createKey("not-an-admin");
        int adminRoutes = 0;
        for (final String route : routes) {
            final String method = route.substring(0, route.indexOf(' '));
            final String path = route.substring(route.indexOf(' ') + 1).replaceAll("\\{[^}]+}", "x");
            if (ADMIN_AREAS.stream().noneMatch(area -> path.equals(area) || path.startsWith(area + "/"))) {
                continue;
            }
            adminRoutes++;
            final TestServer.Reply refused = call(method, path, tenantKey);
            assertEquals(403, refused.status(), route + " with a tenant key: " + refused.body());
            assertEquals("forbidden", refused.json().get("error").asText(), route + ": " + refused.body());
            final TestServer.Reply admitted = call(method, path, TestServer.ADMIN_KEY);
            assertNotEquals(401, admitted.status(), route + " with the admin key: " + admitted.body());
            assertNotEquals(403, admitted.status(), route + " with the admin key: " + admitted.body());
        }
        assertTrue(adminRoutes >= 8, "the walk found the admin routes: " + routes);
    }

    private static TestServer.Reply call(final String method, final String path, final String key) {
        final byte[] body =
                method.equals("GET") || method.equals("DELETE") ? null : "{}".getBytes(StandardCharsets.UTF_8);
        return server.exchange(method, path, key, Map.of(), body);
    }
}
