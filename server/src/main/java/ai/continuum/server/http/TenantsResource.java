package ai.continuum.server.http;

import ai.continuum.engine.TenantStats;
import ai.continuum.server.core.ContinuumCore;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.List;
import java.util.Map;

/** {@code GET /v1/tenants} (admin key only): every tenant that holds state, with its counts. */
public final class TenantsResource implements HttpService {
    private final ContinuumCore core;

    public TenantsResource(final ContinuumCore core) {
        this.core = core;
    }

    @Override
    public void routing(final HttpRules rules) {
        rules.get("/", this::list);
    }

    record TenantView(String tenantId, long concepts, long memories, long links) {}

    private void list(final ServerRequest req, final ServerResponse res) {
        AuthFilter.requireAdmin(req);
        final List<TenantView> tenants = core.tenants().stream()
                .map(t -> {
                    final TenantStats s = core.stats(t);
                    return new TenantView(t, s.concepts(), s.memories(), s.links());
                })
                .toList();
        Json.ok(res, Map.of("tenants", tenants, "total", tenants.size()));
    }
}
