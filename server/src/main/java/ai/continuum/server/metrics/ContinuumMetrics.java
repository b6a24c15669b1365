package ai.continuum.server.metrics;

import ai.continuum.engine.MemoryEngine;
import ai.continuum.engine.TenantStats;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleSupplier;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * The server's meters, created once and kept here (the Helidon metrics example pattern).
 *
 * <p>Micrometer's Prometheus 1.x registry refuses gauge names that end in {@code _total}, but the shipped dashboards
 * and alerts name the graph-size gauges {@code continuum_concepts_total} and {@code continuum_memories_total}; those
 * families, computed from the engine at scrape time (so a forgotten tenant leaves no stale series), are written by
 * {@link #scrape()} directly in the text format, as is the federation lag family, which has no series until a
 * federation link reports one.
 *
 * <p>Tenant names are private to a multi-tenant operator: by default the per-tenant families (graph sizes, learn and
 * recall operations) are totals over all tenants with no {@code tenant_id} label, and {@code continuum_tenants} says
 * how many there are. With tenant labels on ({@code server.metrics-tenant-labels}) each tenant has its own series.
 *
 * <p>Thread-safe.
 */
public final class ContinuumMetrics {
    /** π × φ, exported as a constant gauge for the seed's dashboards. */
    public static final double PI_PHI = 5.083203692315260;

    private static final Duration[] LATENCY_BUCKETS = {
        Duration.ofNanos(250_000), Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofMillis(2),
        Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
        Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
        Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)
    };

    /** The term index's delays are tens to hundreds of microseconds at full learn rate, milliseconds when starved. */
    private static final Duration[] VISIBILITY_BUCKETS = {
        Duration.ofNanos(50_000),
        Duration.ofNanos(100_000),
        Duration.ofNanos(250_000),
        Duration.ofNanos(500_000),
        Duration.ofMillis(1),
        Duration.ofMillis(2),
        Duration.ofMillis(5),
        Duration.ofMillis(10),
        Duration.ofMillis(25),
        Duration.ofMillis(100)
    };

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    /** Meters by label values: a request then costs one map lookup instead of building and registering an id. */
    private final ConcurrentHashMap<HttpKey, HttpMeters> httpMeters = new ConcurrentHashMap<>();

    private final ConcurrentHashMap<OpKey, Counter> opCounters = new ConcurrentHashMap<>();
    private final Timer commitLatency;
    private final Timer syncApplyDelay;
    /** The federation link's lag, when this service is a federation node (null otherwise). */
    private volatile FederationLag federationLag;

    /** Per checkpoint engine ({@code separate}, {@code serving}): how long a checkpoint took. */
    private final Timer separateCheckpoints;

    private final Timer servingCheckpoints;
    private final Timer checkpointPauses;
    private final Counter checkpointFailures;
    /** Set once by {@link #bindEngine} on the starting thread; read by scrapes on request threads. */
    private volatile MemoryEngine engine;

    private final boolean tenantLabels;

    /** Without tenant labels: per-tenant families are totals over all tenants. */
    public ContinuumMetrics() {
        this(false);
    }

    /** @param tenantLabels whether per-tenant families carry a {@code tenant_id} label (naming every tenant). */
    public ContinuumMetrics(final boolean tenantLabels) {
        this.tenantLabels = tenantLabels;
        Gauge.builder("continuum.pi.phi.constant", () -> PI_PHI)
                .description("pi x phi, the continuity chain's seed")
                .register(registry);
        commitLatency = Timer.builder("continuum.storage.commit.latency")
                .description("time from queueing a write to its durable commit")
                .serviceLevelObjectives(LATENCY_BUCKETS)
                .register(registry);
        syncApplyDelay = Timer.builder("continuum.sync.apply.delay")
                .description("time from an op's commit to its apply by this instance's change-log follower")
                .serviceLevelObjectives(LATENCY_BUCKETS)
                .register(registry);
        separateCheckpoints = checkpointTimer("separate", registry);
        servingCheckpoints = checkpointTimer("serving", registry);
        checkpointPauses = Timer.builder("continuum.snapshot.checkpoint.pause")
                .description("how long a checkpoint of the serving engine held its writes (learns wait, recalls go on)")
                .register(registry);
        checkpointFailures = Counter.builder("continuum.snapshot.checkpoint.failures")
                .description(
                        "background checkpoints that failed (the log says why; the next one is due an interval later)")
                .register(registry);
        ProcessMeters.bindTo(registry);
    }

    /**
     * Binds the engine whose tenants the graph gauges report, and the lag of its background indexes behind learn:
     * the term index's backlog and visibility delay (a recall indexes the backlog itself, so the delay is what a
     * recall may pay), and the semantic index's backlog (memories not yet embedded, found by words meanwhile).
     */
    public void bindEngine(final MemoryEngine memoryEngine) {
        this.engine = memoryEngine;
        Gauge.builder("continuum.term.index.backlog", memoryEngine::termIndexBacklog)
                .description("memories learned whose terms are not yet indexed (a recall indexes them first)")
                .register(registry);
        final Timer termIndexDelay = Timer.builder("continuum.term.index.delay")
                .description("time from a memory's learn to its terms in the index")
                .serviceLevelObjectives(VISIBILITY_BUCKETS)
                .register(registry);
        memoryEngine.onTermIndexDelay(delay -> termIndexDelay.record(delay, TimeUnit.NANOSECONDS));
        Gauge.builder("continuum.semantic.backlog", memoryEngine::semanticBacklog)
                .description("memories learned and not yet embedded by the semantic index (0 without it)")
                .register(registry);
    }

    /** Binds the write-behind queue depth, its capacity (writes answer 503 queue_full beyond it) and readiness. */
    public void bindStorage(final IntSupplier queueDepth, final int queueCapacity, final BooleanSupplier ready) {
        Gauge.builder("continuum.storage.queue.depth", queueDepth::getAsInt)
                .description("writes queued for the write-behind committer")
                .register(registry);
        Gauge.builder("continuum.storage.queue.capacity", () -> queueCapacity)
                .description("writes the queue holds before learn answers 503 queue_full")
                .register(registry);
        Gauge.builder("continuum.ready", () -> ready.getAsBoolean() ? 1 : 0)
                .description("1 when the engine is loaded and the database answers")
                .register(registry);
    }

    /**
     * Binds the fleet's replication lag: how far behind the shared change log this instance's engine is, in
     * seconds and in ops (both 0 on a database only this process writes).
     */
    public void bindSync(final DoubleSupplier lagSeconds, final LongSupplier lagOps) {
        Gauge.builder("continuum.sync.lag.seconds", lagSeconds::getAsDouble)
                .description("seconds this instance's engine has been behind the shared change log (0 when caught up)")
                .register(registry);
        Gauge.builder("continuum.sync.lag.ops", lagOps::getAsLong)
                .description("ops committed to the shared change log and not yet applied to this instance's engine")
                .register(registry);
    }

    /**
     * Binds the optional Redis: {@code continuum_redis_up} (1 while it answers in time) and
     * {@code continuum_redis_local_decisions_total} (rate-limit decisions this instance made alone because it did not).
     *
     * @return what to call for each such local decision.
     */
    public Runnable bindRedis(final BooleanSupplier up) {
        Gauge.builder("continuum.redis.up", () -> up.getAsBoolean() ? 1 : 0)
                .description("1 while the shared Redis answers within its timeout; 0 while rate limits are local")
                .register(registry);
        final Counter local = Counter.builder("continuum.redis.local.decisions")
                .description("rate-limit decisions made by this instance alone because Redis did not answer in time")
                .register(registry);
        return local::increment;
    }

    /** What the connection counters read, kept here because the counters only hold it weakly. */
    @SuppressWarnings("unused")
    private volatile List<LongSupplier> connectionSources = List.of();

    /**
     * Binds the listener's connection counts: open connections, those refused past {@code server.max-connections},
     * and those closed because a request's headers or body came too slowly.
     */
    public void bindConnections(
            final IntSupplier open,
            final LongSupplier refused,
            final LongSupplier headerTimeouts,
            final LongSupplier bodyTimeouts) {
        // A function counter holds its source weakly, and these method references are held by nothing else.
        connectionSources = List.of(refused, headerTimeouts, bodyTimeouts);
        Gauge.builder("continuum.connections.open", open::getAsInt)
                .description("HTTP connections admitted and not yet closed (at most server.max-connections)")
                .register(registry);
        FunctionCounter.builder("continuum.connections.refused", refused, LongSupplier::getAsLong)
                .description("connections answered 503 too_many_connections because the cap was reached")
                .register(registry);
        FunctionCounter.builder("continuum.connections.timeouts", headerTimeouts, LongSupplier::getAsLong)
                .description("connections closed because a request's headers or body came too slowly")
                .tag("phase", "headers")
                .register(registry);
        FunctionCounter.builder("continuum.connections.timeouts", bodyTimeouts, LongSupplier::getAsLong)
                .description("connections closed because a request's headers or body came too slowly")
                .tag("phase", "body")
                .register(registry);
    }

    /** Binds the listener's certificate: when the one in use expires, in seconds since the epoch. */
    public void bindTls(final DoubleSupplier notAfterEpochSeconds) {
        Gauge.builder("continuum.tls.certificate.expiry.timestamp.seconds", notAfterEpochSeconds::getAsDouble)
                .description("when the API's TLS certificate in use expires (seconds since the epoch)")
                .register(registry);
        // Both outcomes from the start, so a rate or an alert over them has a series (0) before the first rotation.
        for (final String outcome : new String[] {"applied", "failed"}) {
            Counter.builder("continuum.tls.reloads")
                    .description("changed TLS files by outcome: applied, or failed (the certificate in use stays)")
                    .tag("outcome", outcome)
                    .register(registry);
        }
    }

    /** A changed set of TLS files was "applied" or "failed" to load. */
    public void tlsReload(final String outcome) {
        Counter.builder("continuum.tls.reloads")
                .description("changed TLS files by outcome: applied, or failed (the certificate in use stays)")
                .tag("outcome", outcome)
                .register(registry)
                .increment();
    }

    /** A federation node's lag for {@code continuum_federation_sync_lag_seconds}. */
    public interface FederationLag {
        /** This node's id at the coordinator; null while it has not joined (no series then). */
        String nodeId();

        /** Seconds since the last successful contribute or pull (since joining, before the first). */
        double lagSeconds();
    }

    /** Binds the federation node whose lag the scrape reports. */
    public void bindFederation(final FederationLag lag) {
        this.federationLag = lag;
    }

    /** Patterns a sync contributed (new or changed) or retracted, as the coordinator acknowledged them. */
    public void federationContributions(final String kind, final int count) {
        Counter.builder("continuum.federation.contributions")
                .description("patterns this node contributed (kind=contributed) or retracted (kind=retracted)")
                .tag("kind", kind)
                .register(registry)
                .increment(count);
    }

    /** A pull request the coordinator answered. */
    public void federationPull() {
        Counter.builder("continuum.federation.pulls")
                .description("federation knowledge pulls answered by the coordinator")
                .register(registry)
                .increment();
    }

    /** A denial by the coordinator: insufficient_contribution, rate_limited, or a refused signature. */
    public void federationDenial(final String reason) {
        Counter.builder("continuum.federation.denials")
                .description("federation requests the coordinator denied, by reason")
                .tag("reason", reason)
                .register(registry)
                .increment();
    }

    /** A sync round's outcome: success, denied (contributed, pull refused) or failure. */
    public void federationSync(final String result) {
        Counter.builder("continuum.federation.syncs")
                .description("federation sync rounds by outcome")
                .tag("result", result)
                .register(registry)
                .increment();
    }

    /** Records how long after its commit (by another instance, or an import) an op reached this engine. */
    public void syncApplyDelay(final long millis) {
        syncApplyDelay.record(Math.max(0, millis), TimeUnit.MILLISECONDS);
    }

    /**
     * Records a snapshot taken: by a separate engine, or from the serving one, whose writes it held {@code pausedMillis}.
     */
    public void checkpointTaken(final boolean fromServing, final long millis, final long pausedMillis) {
        (fromServing ? servingCheckpoints : separateCheckpoints).record(Math.max(0, millis), TimeUnit.MILLISECONDS);
        if (fromServing) {
            checkpointPauses.record(Math.max(0, pausedMillis), TimeUnit.MILLISECONDS);
        }
    }

    /** Records a background checkpoint that failed. */
    public void checkpointFailed() {
        checkpointFailures.increment();
    }

    private static Timer checkpointTimer(final String engine, final PrometheusMeterRegistry registry) {
        return Timer.builder("continuum.snapshot.checkpoint.duration")
                .description("time to take one engine snapshot in the background, by the engine it wrote")
                .tag("engine", engine)
                .register(registry);
    }

    private record HttpKey(String method, String route, int status) {}

    private record HttpMeters(Counter requests, Timer duration) {}

    private record OpKey(String name, String tenant, String result) {}

    public void httpRequest(final String method, final String route, final int status, final long durationNs) {
        final HttpMeters meters = httpMeters.computeIfAbsent(
                new HttpKey(method, route, status),
                k -> new HttpMeters(
                        Counter.builder("continuum.http.requests")
                                .description("HTTP requests by route template and status")
                                .tags("method", k.method(), "route", k.route(), "status", Integer.toString(k.status()))
                                .register(registry),
                        Timer.builder("continuum.http.request.duration")
                                .description("HTTP request latency by route template")
                                .tags("method", k.method(), "route", k.route())
                                .serviceLevelObjectives(LATENCY_BUCKETS)
                                .register(registry)));
        meters.requests().increment();
        meters.duration().record(durationNs, TimeUnit.NANOSECONDS);
    }

    /** A failed authentication, "logged" (answered 401 and audited) or "suppressed" (429, counted only). */
    public void authFailure(final String outcome) {
        Counter.builder("continuum.auth.failures")
                .description("failed authentications by whether they were logged")
                .tag("outcome", outcome)
                .register(registry)
                .increment();
    }

    /** A 429's access line, "written" or "left_out" (sampled: one line per address a minute). */
    public void accessLine429(final String outcome) {
        Counter.builder("continuum.access.lines.429")
                .description("access lines of 429 answers by whether they were written or left out")
                .tag("outcome", outcome)
                .register(registry)
                .increment();
    }

    public void learn(final String tenant, final String result) {
        operation("continuum.learn.operations", "learn calls by outcome", tenant, result);
    }

    public void recall(final String tenant, final String result) {
        operation("continuum.recall.operations", "recall calls by outcome", tenant, result);
    }

    private void operation(final String name, final String description, final String tenant, final String result) {
        opCounters
                .computeIfAbsent(
                        new OpKey(name, tenantLabels ? tenant : "", result),
                        k -> (tenantLabels
                                        ? Counter.builder(k.name()).tags("tenant_id", k.tenant())
                                        : Counter.builder(k.name()))
                                .description(description)
                                .tags("result", k.result())
                                .register(registry))
                .increment();
    }

    public void commitLatency(final long durationNs) {
        commitLatency.record(durationNs, TimeUnit.NANOSECONDS);
    }

    /** Everything, in the Prometheus text exposition format 0.0.4. */
    public String scrape() {
        final StringBuilder out = new StringBuilder(registry.scrape());
        final MemoryEngine e = engine;
        final StringBuilder concepts =
                family("continuum_concepts_total", "concepts (per tenant with tenant labels on)");
        final StringBuilder entities =
                family("continuum_entities_total", "entities (concepts; per tenant with tenant labels on)");
        final StringBuilder memories =
                family("continuum_memories_total", "stored memories (per tenant with tenant labels on)");
        final StringBuilder links =
                family("continuum_attention_links_total", "concept links (per tenant with tenant labels on)");
        final StringBuilder tenants = family("continuum_tenants", "tenants holding state");
        long tenantCount = 0;
        final long[] totals = new long[3];
        if (e != null) {
            for (final String tenant : e.tenants()) {
                final TenantStats s = e.stats(tenant);
                tenantCount++;
                if (tenantLabels) {
                    sample(concepts, "continuum_concepts_total", tenant, s.concepts());
                    sample(entities, "continuum_entities_total", tenant, s.concepts());
                    sample(memories, "continuum_memories_total", tenant, s.memories());
                    sample(links, "continuum_attention_links_total", tenant, s.links());
                } else {
                    totals[0] += s.concepts();
                    totals[1] += s.memories();
                    totals[2] += s.links();
                }
            }
        }
        if (!tenantLabels) {
            sample(concepts, "continuum_concepts_total", null, totals[0]);
            sample(entities, "continuum_entities_total", null, totals[0]);
            sample(memories, "continuum_memories_total", null, totals[1]);
            sample(links, "continuum_attention_links_total", null, totals[2]);
        }
        sample(tenants, "continuum_tenants", null, tenantCount);
        out.append(tenants)
                .append(concepts)
                .append(entities)
                .append(memories)
                .append(links)
                .append(family(
                        "continuum_federation_sync_lag_seconds",
                        "seconds since the last successful federation contribute or pull, per node"));
        final FederationLag lag = federationLag;
        final String node = lag == null ? null : lag.nodeId();
        if (node != null) {
            out.append("continuum_federation_sync_lag_seconds{node_id=\"")
                    .append(escape(node))
                    .append("\"} ")
                    .append(String.format(Locale.ROOT, "%.3f", lag.lagSeconds()))
                    .append('\n');
        }
        return out.toString();
    }

    private static StringBuilder family(final String name, final String help) {
        return new StringBuilder(256)
                .append("# HELP ")
                .append(name)
                .append(' ')
                .append(help)
                .append('\n')
                .append("# TYPE ")
                .append(name)
                .append(" gauge\n");
    }

    /** One sample; {@code tenant} null for a total (no label). */
    private static void sample(final StringBuilder out, final String name, final String tenant, final long value) {
        out.append(name);
        if (tenant != null) {
            out.append("{tenant_id=\"").append(escape(tenant)).append("\"}");
        }
        out.append(' ').append(String.format(Locale.ROOT, "%d", value)).append('\n');
    }

    private static String escape(final String label) {
        return label.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
