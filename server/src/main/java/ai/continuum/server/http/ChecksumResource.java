package ai.continuum.server.http;

import ai.continuum.server.core.ContinuumCore;
import ai.continuum.server.core.TenantChecksum;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET /v1/admin/checksum[?tenant=T]} (admin key only): each tenant's engine checksum on this instance with the
 * chain position it was taken at. Instances that hold the same position of a tenant hold equal checksums, and equal to
 * an engine rebuilt from SQL up to that position: how a fleet's convergence is checked from outside the processes.
 */
public final class ChecksumResource implements HttpService {
    private final ContinuumCore core;
    private final String instanceId;

    public ChecksumResource(final ContinuumCore core, final String instanceId) {
        this.core = core;
        this.instanceId = instanceId;
    }

    @Override
    public void routing(final HttpRules rules) {
        rules.get("/", this::checksums);
    }

    /** The checksum as 16 hex digits: a 64-bit value a JSON number would round in most clients. */
    record ChecksumView(String tenantId, long position, String checksum) {}

    private void checksums(final ServerRequest req, final ServerResponse res) {
        AuthFilter.requireAdmin(req);
        final String tenant = Params.queryText(req, "tenant");
        final List<ChecksumView> tenants = core.checksums(tenant == null ? core.tenants() : Set.of(tenant)).stream()
                .map(ChecksumResource::view)
                .toList();
        Json.ok(res, Map.of("instance_id", instanceId, "tenants", tenants));
    }

    private static ChecksumView view(final TenantChecksum c) {
        return new ChecksumView(c.tenant(), c.position(), String.format("%016x", c.checksum()));
    }
}
