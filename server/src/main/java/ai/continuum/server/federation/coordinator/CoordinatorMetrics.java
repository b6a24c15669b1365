package ai.continuum.server.federation.coordinator;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * The coordinator's meters (its own registry, served on its {@code /metrics}):
 * <ul>
 *   <li>{@code continuum_coordinator_contributions_total}: patterns accepted (new or updated);</li>
 *   <li>{@code continuum_coordinator_retractions_total}: contributions retracted;</li>
 *   <li>{@code continuum_coordinator_pulls_total}: knowledge requests answered;</li>
 *   <li>{@code continuum_coordinator_denials_total{reason}}: {@code insufficient_contribution} or
 *       {@code rate_limited};</li>
 *   <li>{@code continuum_coordinator_rejected_requests_total{reason}}: requests refused by node authentication;</li>
 *   <li>{@code continuum_coordinator_tls_reloads_total{outcome}}: renewed certificates {@code applied}, or
 *       {@code failed} to load (the one in use stays);</li>
 *   <li>{@code continuum_coordinator_nodes}, {@code continuum_coordinator_patterns},
 *       {@code continuum_coordinator_released_patterns}: gauges;</li>
 *   <li>{@code continuum_federation_sync_lag_seconds{node_id}}: per active node, seconds since its last successful
 *       contribute or pull (the "federation node down" alert reads it).</li>
 * </ul>
 * Thread-safe.
 */
final class CoordinatorMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final CoordinatorStore store;
    private final LongSupplier clockMillis;

    CoordinatorMetrics(final CoordinatorStore store, final int threshold, final LongSupplier clockMillis) {
        this.store = store;
        this.clockMillis = clockMillis;
        Gauge.builder(
                        "continuum.coordinator.nodes",
                        () -> store.totals(threshold).activeNodes())
                .description("active member nodes")
                .register(registry);
        Gauge.builder(
                        "continuum.coordinator.patterns",
                        () -> store.totals(threshold).livePatterns())
                .description("distinct patterns with a live contribution")
                .register(registry);
        Gauge.builder(
                        "continuum.coordinator.released.patterns",
                        () -> store.totals(threshold).releasedPatterns())
                .description("patterns contributed by at least k organisations")
                .register(registry);
    }

    void contributions(final int count) {
        counter("continuum.coordinator.contributions", "patterns accepted", null, null)
                .increment(count);
    }

    void retractions(final int count) {
        counter("continuum.coordinator.retractions", "contributions retracted", null, null)
                .increment(count);
    }

    void pull() {
        counter("continuum.coordinator.pulls", "knowledge requests answered", null, null)
                .increment();
    }

    void denial(final String reason) {
        counter("continuum.coordinator.denials", "pulls or contributions denied", "reason", reason)
                .increment();
    }

    void rejected(final String reason) {
        counter("continuum.coordinator.rejected.requests", "requests refused by node authentication", "reason", reason)
                .increment();
    }

    void tlsReload(final String outcome) {
        counter("continuum.coordinator.tls.reloads", "renewed TLS certificates applied or failed", "outcome", outcome)
                .increment();
    }

    private Counter counter(final String name, final String help, final String tag, final String value) {
        final Counter.Builder builder = Counter.builder(name).description(help);
        if (tag != null) {
            builder.tag(tag, value);
        }
        return builder.register(registry);
    }

    String scrape() {
        final StringBuilder out = new StringBuilder(registry.scrape());
        out.append("# HELP continuum_federation_sync_lag_seconds seconds since the node's last successful contribute")
                .append(" or pull\n# TYPE continuum_federation_sync_lag_seconds gauge\n");
        final long now = clockMillis.getAsLong();
        for (final CoordinatorStore.NodeRecord node : store.nodes()) {
            if (!"active".equals(node.status())) {
                continue;
            }
            final long since = node.lastSeenAt() > 0 ? node.lastSeenAt() : node.joinedAt();
            out.append("continuum_federation_sync_lag_seconds{node_id=\"")
                    .append(node.nodeId())
                    .append("\",org_id=\"")
                    .append(node.orgId().replace("\\", "\\\\").replace("\"", "\\\""))
                    .append("\"} ")
                    .append(String.format(Locale.ROOT, "%.3f", Math.max(0, now - since) / 1000.0))
                    .append('\n');
        }
        return out.toString();
    }
}
