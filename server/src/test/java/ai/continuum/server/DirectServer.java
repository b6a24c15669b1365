package ai.continuum.server;

import ai.continuum.engine.MemoryEngine;
import ai.continuum.server.auth.ApiKeyAuthenticator;
import ai.continuum.server.auth.KeyHasher;
import ai.continuum.server.config.ConfigKey;
import ai.continuum.server.config.ServerConfig;
import ai.continuum.server.core.ContinuumCore;
import ai.continuum.server.core.EngineSizing;
import ai.continuum.server.http.ApiRouting;
import ai.continuum.server.http.ShutdownGate;
import ai.continuum.server.logging.SuppressedAccessLines;
import ai.continuum.server.metrics.ContinuumMetrics;
import ai.continuum.server.ratelimit.RateLimiter;
import ai.continuum.server.storage.Storage;
import io.helidon.http.Method;
import io.helidon.webclient.http1.Http1ClientRequest;
import io.helidon.webserver.http.HttpRouting;
import java.nio.file.Path;
import java.util.Map;

/**
 * The service's real routing ({@link ApiRouting}: filters, authentication, resources, error mapping) over a real core
 * and SQLite storage in {@code dataDir}, called through Helidon's DirectClient ({@link DirectApiClient}): no listener, no socket. For
 * tests of routes, handlers, auth and error shapes; what only a socket shows (connection limits, TLS, raw header
 * blocks, body deadlines, the CORS and observe features of the web server) stays with {@link TestServer}.
 *
 * <p>Built as {@link ContinuumServer#start} builds its routing, minus what belongs to the listener (TLS, connection
 * gate, watchdog, heartbeat) and to a fleet or federation. Not {@code @RoutingTest}: that extension builds one routing
 * per class in a static method, while tests here start several services with their own settings.
 */
public final class DirectServer implements ApiClient, AutoCloseable {
    private final ServerConfig config;
    private final Storage storage;
    private final MemoryEngine engine;
    private final ContinuumCore core;
    private final ContinuumMetrics metrics;
    private final ApiKeyAuthenticator keys;
    /** Null for a service {@link #unrouted} whose routing a {@code @RoutingTest} builds. */
    private final DirectApiClient client;

    private DirectServer(final ServerConfig config, final boolean withClient) {
        this.config = config;
        this.storage = ContinuumServer.openStorage(config);
        final var sized = EngineSizing.forStored(config.engine(), storage);
        this.engine = config.semanticIndex()
                ? MemoryEngine.create(sized, System::currentTimeMillis, SemanticModel.load(config.semanticModel()))
                : MemoryEngine.create(sized);
        this.metrics = new ContinuumMetrics(config.metricsTenantLabels());
        this.core = new ContinuumCore(engine, storage, metrics);
        metrics.bindEngine(engine);
        metrics.bindStorage(storage::queueDepth, config.writeQueueCapacity(), core::ready);
        final ApiKeyAuthenticator keys = new ApiKeyAuthenticator(
                storage.apiKeys(),
                new KeyHasher(KeyHasher.DEFAULT_ITERATIONS),
                TestServer.ADMIN_KEY,
                config.defaultTenant(),
                ContinuumServer.KEY_CACHE_TTL.toNanos(),
                System::nanoTime);
        this.keys = keys;
        SuppressedAccessLines.install();
        core.load(null);
        this.client = withClient ? new DirectApiClient(routing(HttpRouting.builder())) : null;
    }

    /** Adds the service's routes and filters to {@code routing}, as the started server does. */
    public HttpRouting.Builder routing(final HttpRouting.Builder routing) {
        routing.addFilter(new ShutdownGate());
        ApiRouting.routing(
                routing,
                config,
                core,
                keys,
                new RateLimiter(config.rateLimitPerMinute(), config.rateLimitBurst(), System::nanoTime),
                metrics);
        return routing;
    }

    /** A service over {@code dataDir} with the test defaults of {@link TestServer}, {@code overrides} winning. */
    public static DirectServer start(final Path dataDir, final Map<ConfigKey, String> overrides) {
        return new DirectServer(TestServer.config(dataDir, overrides), true);
    }

    /** The service without a client, for a {@code @RoutingTest} that hands {@link #routing} its own builder. */
    public static DirectServer unrouted(final Path dataDir) {
        return new DirectServer(TestServer.config(dataDir, Map.of()), false);
    }

    public static DirectServer start(final Path dataDir) {
        return start(dataDir, Map.of());
    }

    public ServerConfig config() {
        return config;
    }

    public ContinuumCore core() {
        return core;
    }

    public Storage storage() {
        return storage;
    }

    public MemoryEngine engine() {
        return engine;
    }

    public ContinuumMetrics metrics() {
        return metrics;
    }

    /** A Helidon request, for what {@link #exchange} cannot say: see {@link DirectApiClient#request}. */
    public Http1ClientRequest request(final Method method, final String path, final String key) {
        return client.request(method, path, key);
    }

    @Override
    public TestServer.Reply exchange(
            final String method,
            final String path,
            final String key,
            final Map<String, String> headers,
            final byte[] body) {
        return client.exchange(method, path, key, headers, body);
    }

    /** As {@link ContinuumServer#close()}: the write queue is committed before storage closes. */
    @Override
    public void close() {
        core.startDraining();
        core.events().close();
        if (client != null) {
            client.close();
        }
        try {
            storage.close();
        } finally {
            try {
                core.close();
            } finally {
                engine.close();
            }
        }
    }
}
