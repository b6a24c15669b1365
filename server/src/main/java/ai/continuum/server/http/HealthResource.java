package ai.continuum.server.http;

import ai.continuum.server.core.ContinuumCore;
import ai.continuum.server.core.Version;
import ai.continuum.server.federation.node.FederationNode;
import ai.continuum.server.ratelimit.ClientLimiter;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /v1/health}: liveness, static, no auth. {@code GET /v1/ready}: 200 once the engine is loaded from SQL and
 * the database answers, 503 otherwise; no auth. The optional Redis is shown but never makes the instance unready: without
 * it, rate limits are counted per instance.
 */
public final class HealthResource implements HttpService {
    private final ContinuumCore core;
    private final ClientLimiter limiter;
    /** Null when this service is not a federation node. */
    private final FederationNode federation;

    public HealthResource(final ContinuumCore core, final ClientLimiter limiter, final FederationNode federation) {
        this.core = core;
        this.limiter = limiter;
        this.federation = federation;
    }

    @Override
    public void routing(final HttpRules rules) {
        rules.get("/health", this::health).get("/ready", this::ready);
    }

    private void health(final ServerRequest req, final ServerResponse res) {
        final Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "healthy");
        body.put("service", "continuum");
        body.put("version", Version.current());
        body.put("timestamp", Instant.now().toString());
        Json.ok(res, body);
    }

    private void ready(final ServerRequest req, final ServerResponse res) {
        final boolean loaded = core.loaded();
        final boolean database = core.databaseReadable();
        final boolean writes = core.writesAccepted();
        final boolean draining = core.draining();
        final boolean caughtUp = loaded && core.caughtUp();
        final boolean lagOk = core.lagWithinBound();
        final boolean ready = loaded && database && caughtUp && lagOk && !draining;
        final Map<String, Object> body = new LinkedHashMap<>();
        body.put(
                "status",
                draining
                        ? "draining"
                        : ready
                                ? (writes ? "ready" : "degraded")
                                : !loaded
                                        ? "loading"
                                        : !database ? "unavailable" : !caughtUp ? "catching_up" : "lagging");
        body.put("version", Version.current());
        body.put("engine", loaded ? "loaded" : "loading");
        body.put("database", database ? "connected" : "unreachable");
        body.put("writes", writes ? "accepted" : "refused");
        body.put("memory_pressure", core.memoryPressure());
        body.put("skipped_rows", core.skippedRows());
        final Map<String, Object> sync = new LinkedHashMap<>();
        sync.put("caught_up", caughtUp);
        sync.put("lag_seconds", core.lagSeconds());
        sync.put("lag_ops", core.lagOps());
        sync.put("max_lag_seconds", core.fleet().maxLagSeconds());
        body.put("sync", sync);
        body.put("redis", limiter.redis().label());
        body.put("cache", "disabled");
        // Federation never makes the service unready: recall works without it; the details show its state.
        body.put("federation", federation == null ? Map.of("status", "disabled") : federation.readiness());
        Json.send(res, ready ? 200 : 503, body);
    }
}
