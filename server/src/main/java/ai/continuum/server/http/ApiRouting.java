package ai.continuum.server.http;

import ai.continuum.server.auth.ApiKeyAuthenticator;
import ai.continuum.server.auth.FailedAuthThrottle;
import ai.continuum.server.config.ServerConfig;
import ai.continuum.server.core.ContinuumCore;
import ai.continuum.server.core.Version;
import ai.continuum.server.federation.node.FederationNode;
import ai.continuum.server.logging.RateLimitedAccessLines;
import ai.continuum.server.mcp.McpProtocol;
import ai.continuum.server.metrics.ContinuumMetrics;
import ai.continuum.server.ratelimit.ClientLimiter;
import io.helidon.http.Method;
import io.helidon.webserver.http.HttpRouting;

/**
 * The only place paths meet services, each registered through one {@link RouteTable} so that the auth filter knows
 * the routes (404/405 before authentication, admin paths from the admin registrations). Filters run outermost first:
 * turn taking (keep-alive connections take turns for the carrier threads), the access log, metrics (times
 * everything), auth (404/405, then principal or 401/403), rate limit (429), loading gate (503 until the engine is
 * rebuilt). Unknown paths answer 404 in the API's error shape; {@code /observe/...} and {@code OPTIONS} (CORS
 * preflights) are left to Helidon's observe and CORS features, whose routes are added after these.
 */
public final class ApiRouting {
    private ApiRouting() {}

    public static void routing(
            final HttpRouting.Builder routing,
            final ServerConfig config,
            final ContinuumCore core,
            final ApiKeyAuthenticator keys,
            final ClientLimiter limiter,
            final ContinuumMetrics metrics) {
        routing(routing, config, core, keys, limiter, metrics, null);
    }

    /** As above, on a federation node ({@code federation} null: not one). */
    public static void routing(
            final HttpRouting.Builder routing,
            final ServerConfig config,
            final ContinuumCore core,
            final ApiKeyAuthenticator keys,
            final ClientLimiter limiter,
            final ContinuumMetrics metrics,
            final FederationNode federation) {
        final long maxBody = config.maxBodyBytes();
        final RouteTable routes = new RouteTable();
        final Idempotency idempotency = new Idempotency(
                core.idempotencyKeys(),
                java.time.Duration.ofHours(config.idempotencyWindowHours()),
                System::currentTimeMillis);
        routing.addFilter(new TurnTakingFilter())
                .addFilter(new AccessLogFilter(new RateLimitedAccessLines(System::nanoTime), metrics::accessLine429))
                .addFilter(new MetricsFilter(metrics, routes))
                .addFilter(new AuthFilter(
                        keys,
                        routes,
                        new FailedAuthThrottle(config.authFailuresPerMinute(), System::nanoTime, metrics::authFailure),
                        config.requireApiKey(),
                        config.defaultTenant(),
                        config.metricsPublic()))
                .addFilter(new RateLimitFilter(limiter))
                .addFilter(new LoadingGate(core));
        routes.register(routing, "/v1", new HealthResource(core, limiter, federation))
                .register(routing, "/v1", new LearnResource(core, maxBody, idempotency))
                .register(routing, "/v1", new RecallResource(core, maxBody, federation))
                .register(routing, "/v1", new StatsResource(core, config.instanceId()))
                .register(routing, "/v1", new PruneResource(core, maxBody, idempotency))
                .register(routing, "/v1/memories", new MemoriesResource(core, maxBody, idempotency))
                .register(routing, "/v1/concepts", new ConceptsResource(core, "concepts"))
                .register(routing, "/v1/entities", new ConceptsResource(core, "entities"))
                .registerAdmin(routing, "/v1/keys", new KeysResource(keys, maxBody))
                .registerAdmin(routing, "/v1/tenants", new TenantsResource(core))
                .register(routing, "/v1", new EventsResource(core, EventsResource.HEARTBEAT))
                .registerAdmin(routing, "/v1/admin/checksum", new ChecksumResource(core, config.instanceId()))
                .registerAdmin(
                        routing,
                        "/v1/admin",
                        new AdminTransferResource(core, config.dataDir().resolve("tmp"), idempotency))
                .registerAdmin(routing, "/v1/federation", new FederationResource(federation, maxBody))
                .registerAdmin(routing, "/metrics", new MetricsResource(metrics))
                .register(
                        routing,
                        "/mcp",
                        new McpResource(
                                core,
                                new McpProtocol(Version.current()),
                                config.instanceId(),
                                maxBody,
                                config.corsOrigins()))
                .register(routing, "/openapi", new OpenApiResource())
                .register(routing, "/ui", new UiResource());
        routing.any((req, res) -> {
            if (req.path().path().startsWith("/observe/")
                    || Method.OPTIONS.equals(req.prologue().method())) {
                res.next();
                return;
            }
            throw new ApiException(
                    404,
                    "not_found",
                    "no route for " + req.prologue().method().text() + " "
                            + Body.abbreviate(req.path().path()));
        });
        ErrorMapping.register(routing);
    }
}
