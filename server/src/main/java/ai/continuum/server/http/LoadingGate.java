package ai.continuum.server.http;

import ai.continuum.server.core.ContinuumCore;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.util.Map;

/**
 * Answers 503 with {@code Retry-After} on every non-public path until the engine has been rebuilt from storage. A
 * write accepted during the load could be both read back by the load and applied by the request (counted twice), and
 * a read would see a partial graph, so neither is served. Thread-safe.
 */
final class LoadingGate implements Filter {
    private final ContinuumCore core;

    LoadingGate(final ContinuumCore core) {
        this.core = core;
    }

    @Override
    public void filter(final FilterChain chain, final RoutingRequest req, final RoutingResponse res) {
        if (core.loaded()
                || AuthFilter.isHealth(req.path().path())
                || req.path().path().equals("/metrics")) {
            chain.proceed();
            return;
        }
        ErrorMapping.send(
                res,
                new ApiException(
                        503,
                        "loading",
                        "the memory is still loading from storage; retry " + "shortly",
                        Map.of("Retry-After", "2")));
    }
}
