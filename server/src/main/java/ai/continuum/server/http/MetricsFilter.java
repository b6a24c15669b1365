package ai.continuum.server.http;

import ai.continuum.server.metrics.ContinuumMetrics;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * Outermost filter: counts and times every request by method, route template (never the raw path, so ids do not
 * explode the label set; a service's root route is reported without its trailing slash) and final status, including
 * requests that auth or the rate limiter rejected: those are answered before Helidon routes them (401, 403, 429, 503
 * while loading), so their template is looked up in the {@link RouteTable}. Requests matching no registered route carry
 * the route {@code unmatched}. Thread-safe.
 */
public final class MetricsFilter implements Filter {
    static final String UNMATCHED = "unmatched";

    private final ContinuumMetrics metrics;
    private final RouteTable routes;

    public MetricsFilter(final ContinuumMetrics metrics, final RouteTable routes) {
        this.metrics = metrics;
        this.routes = routes;
    }

    @Override
    public void filter(final FilterChain chain, final RoutingRequest req, final RoutingResponse res) {
        final long startNs = System.nanoTime();
        try {
            chain.proceed();
        } finally {
            final String pattern = req.matchingPattern()
                    .or(() -> routes.template(
                            req.prologue().method(), AuthFilter.fold(req.path().path())))
                    .orElse(UNMATCHED);
            final String route = pattern.length() > 1 && pattern.endsWith("/")
                    ? pattern.substring(0, pattern.length() - 1)
                    : pattern;
            metrics.httpRequest(
                    req.prologue().method().text(), route, res.status().code(), System.nanoTime() - startNs);
        }
    }
}
