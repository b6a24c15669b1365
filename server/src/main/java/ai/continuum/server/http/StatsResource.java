package ai.continuum.server.http;

import ai.continuum.engine.TenantStats;
import ai.continuum.server.core.ContinuumCore;
import ai.continuum.server.storage.Storage;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code GET /v1/stats} (the tenant's counts, from the engine) and {@code GET /v1/continuity} (the head of the
 * tenant's hash chain of committed writes, from storage).
 */
public final class StatsResource implements HttpService {
    private final ContinuumCore core;
    private final String instanceId;

    public StatsResource(final ContinuumCore core, final String instanceId) {
        this.core = core;
        this.instanceId = instanceId;
    }

    @Override
    public void routing(final HttpRules rules) {
        rules.get("/stats", this::stats).get("/continuity", this::continuity);
    }

    /**
     * What {@code GET /v1/stats} answers for one tenant.
     *
     * @param entities        concepts (the upstream name).
     * @param messages        stored turns (the upstream name); equal to {@code memories}.
     */
    public record StatsView(
            String tenantId,
            String instanceId,
            long entities,
            long concepts,
            long messages,
            long memories,
            long decisions,
            long attentionLinks,
            long compoundConcepts,
            int writeQueueDepth) {

        /** The answer of {@code GET /v1/stats}; the CLI's {@code stats --json} prints the same. */
        public static StatsView of(
                final String tenant, final String instanceId, final TenantStats s, final int writeQueueDepth) {
            return new StatsView(
                    tenant,
                    instanceId,
                    s.concepts(),
                    s.concepts(),
                    s.memories(),
                    s.memories(),
                    s.decisions(),
                    s.links(),
                    s.compounds(),
                    writeQueueDepth);
        }
    }

    record ContinuityView(String tenantId, long length, String head) {}

    private void stats(final ServerRequest req, final ServerResponse res) {
        final String tenant = AuthFilter.principal(req).tenant();
        Json.ok(res, StatsView.of(tenant, instanceId, core.stats(tenant), core.queueDepth()));
    }

    private void continuity(final ServerRequest req, final ServerResponse res) {
        final String tenant = AuthFilter.principal(req).tenant();
        final Storage.ContinuityHead head = core.continuity(tenant);
        Json.ok(res, new ContinuityView(tenant, head.length(), head.headHex()));
    }
}
