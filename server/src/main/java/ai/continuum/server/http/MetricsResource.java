package ai.continuum.server.http;

import ai.continuum.server.metrics.ContinuumMetrics;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /metrics}: Prometheus text exposition of {@link ContinuumMetrics}. Public by default (in-cluster
 * scrapers); admin key only with {@code server.metrics-public=false} (enforced by the auth filter).
 */
public final class MetricsResource implements HttpService {
    private final ContinuumMetrics metrics;

    public MetricsResource(final ContinuumMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void routing(final HttpRules rules) {
        rules.get("/", this::scrape);
    }

    private void scrape(final ServerRequest req, final ServerResponse res) {
        res.header(HeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
        res.send(metrics.scrape().getBytes(StandardCharsets.UTF_8));
    }
}
