package ai.continuum.server.http;

import ai.continuum.server.auth.ApiKeyAuthenticator;
import ai.continuum.server.config.ServerConfig;
import ai.continuum.server.core.ContinuumCore;
import ai.continuum.server.core.Version;
import ai.continuum.server.mcp.McpProtocol;
import ai.continuum.server.metrics.ContinuumMetrics;
import ai.continuum.server.ratelimit.RateLimiter;
import io.helidon.http.Method;
import io.helidon.webserver.http.HttpRouting;

/**
 * The only place paths meet services. Filters run outermost first: metrics (times everything), auth (principal or
 * 401/403), rate limit (429), loading gate (503 until
 * the engine is rebuilt). Unknown paths answer 404 in the API's error shape;
 * {@code /observe/...} and {@code OPTIONS} (CORS preflights) are left to Helidon's observe and CORS features, whose
 * routes are added after these.
 */
public final class ApiRouting {
    private ApiRouting() {
    }

    public static void routing(final HttpRouting.Builder routing, final ServerConfig config, final ContinuumCore core,
                               final ApiKeyAuthenticator keys, final RateLimiter limiter,
                               final ContinuumMetrics metrics) {
        final long maxBody = config.maxBodyBytes();
        routing.addFilter(new AccessLogFilter())
            .addFilter(new MetricsFilter(metrics))
            .addFilter(new AuthFilter(keys, config.requireApiKey(), config.defaultTenant(),
                config.metricsPublic()))
            .addFilter(new RateLimitFilter(limiter))
            .addFilter(new LoadingGate(core))
            .register("/v1", new HealthResource(core))
            .register("/v1", new LearnResource(core, maxBody))
            .register("/v1", new RecallResource(core, maxBody))
            .register("/v1", new StatsResource(core, config.instanceId()))
            .register("/v1/memories", new MemoriesResource(core, maxBody))
            .register("/v1/concepts", new ConceptsResource(core, "concepts"))
            .register("/v1/entities", new ConceptsResource(core, "entities"))
            .register("/v1/keys", new KeysResource(keys, maxBody))
            .register("/v1/tenants", new TenantsResource(core))
            .register("/v1", new EventsResource(core, EventsResource.HEARTBEAT))
            .register("/v1/admin", new AdminTransferResource(core, config.dataDir().resolve("tmp")))
            .register("/metrics", new MetricsResource(metrics))
            .register("/mcp", new McpResource(core, new McpProtocol(Version.current()), config.instanceId(), maxBody,
                config.corsOrigins()))
            .register("/openapi", new OpenApiResource())
            .register("/ui", new UiResource())
            .any((req, res) -> {
                if (req.path().path().startsWith("/observe/") || req.prologue().method() == Method.OPTIONS) {
                    res.next();
                    return;
                }
                throw new ApiException(404, "not_found", "no route for " + req.prologue().method().text() + " "
                    + Body.abbreviate(req.path().path()));
            });
        ErrorMapping.register(routing);
    }
}
