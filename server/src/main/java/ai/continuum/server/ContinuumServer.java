package ai.continuum.server;

import ai.continuum.engine.MemoryEngine;
import ai.continuum.server.auth.AdminKey;
import ai.continuum.server.auth.ApiKeyAuthenticator;
import ai.continuum.server.auth.KeyHasher;
import ai.continuum.server.config.ServerConfig;
import ai.continuum.server.core.ContinuumCore;
import ai.continuum.server.core.EngineSizing;
import ai.continuum.server.http.ApiRouting;
import ai.continuum.server.http.JsonDirectHandler;
import ai.continuum.server.metrics.ContinuumMetrics;
import ai.continuum.server.ratelimit.RateLimiter;
import ai.continuum.server.storage.SqliteProcessLock;
import ai.continuum.server.storage.Storage;
import ai.continuum.server.storage.StorageSettings;
import ai.continuum.server.storage.Storages;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.cors.CorsFeature;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Set;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * The running service: config, then engine, storage, the rebuild of the engine from storage, and the web server.
 *
 * <p>The web server starts before the rebuild so liveness answers at once while {@code /v1/ready} and
 * {@code /observe/health/ready} report 503 and data endpoints answer 503 "loading" until the engine holds everything
 * storage has. {@link #close()} stops accepting requests, lets in-flight ones finish, drains the write-behind queue
 * (storage commits every accepted op before closing) and releases the engine. Not thread-safe: start and close from
 * one thread.
 */
public final class ContinuumServer implements AutoCloseable {
    /**
     * How long a verified API key skips PBKDF2. A key revoked by another instance on the same PostgreSQL stops working
     * here when its announcement arrives (milliseconds); this is the bound only while announcements cannot arrive
     * (every cached key is dropped when the listening connection comes back).
     */
    public static final Duration KEY_CACHE_TTL = Duration.ofSeconds(30);
    private static final Logger LOG = Logger.getLogger(ContinuumServer.class.getName());

    private final ServerConfig config;
    private final MemoryEngine engine;
    private final Storage storage;
    private final ContinuumCore core;
    private final ContinuumMetrics metrics;
    private final WebServer webServer;
    /** Keeps a SQLite store to this process (null on PostgreSQL, which several instances share). */
    private final SqliteProcessLock processLock;

    private ContinuumServer(final ServerConfig config, final MemoryEngine engine, final Storage storage,
                            final ContinuumCore core, final ContinuumMetrics metrics, final WebServer webServer,
                            final SqliteProcessLock processLock) {
        this.processLock = processLock;
        this.config = config;
        this.engine = engine;
        this.storage = storage;
        this.core = core;
        this.metrics = metrics;
        this.webServer = webServer;
    }

    /**
     * Starts the service and returns once the engine is rebuilt and every endpoint is ready.
     *
     * @param console receives messages meant for the operator's console (the admin key generated on first start).
     * @throws IllegalStateException when the port is taken or storage cannot be opened.
     */
    public static ContinuumServer start(final ServerConfig config, final Consumer<String> console) {
        if (!config.requireApiKey()) {
            LOG.warning("auth.require-api-key=false: requests without a key act as tenant '" + config.defaultTenant()
                + "'; allowed only because the server binds loopback " + config.host());
        }
        try {
            Files.createDirectories(config.dataDir());
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + config.dataDir(), e);
        }
        final String adminKey = AdminKey.resolve(config, console);
        final SqliteProcessLock processLock = config.sqlite() ? SqliteProcessLock.acquire(config.dataDir()) : null;
        final Storage storage;
        try {
            storage = openStorage(config);
        } catch (final RuntimeException e) {
            release(processLock);
            throw e;
        }
        final MemoryEngine engine;
        try {
            engine = MemoryEngine.create(EngineSizing.forStored(config.engine(), storage));
        } catch (final RuntimeException e) {
            storage.close();
            release(processLock);
            throw e;
        }
        final ContinuumMetrics metrics = new ContinuumMetrics();
        final ContinuumCore core = new ContinuumCore(engine, storage, metrics);
        metrics.bindEngine(engine);
        metrics.bindStorage(storage::queueDepth, config.writeQueueCapacity(), core::ready);
        final ApiKeyAuthenticator keys = new ApiKeyAuthenticator(storage.apiKeys(),
            new KeyHasher(KeyHasher.DEFAULT_ITERATIONS), adminKey, config.defaultTenant(), KEY_CACHE_TTL.toNanos(),
            System::nanoTime);
        final RateLimiter limiter = new RateLimiter(config.rateLimitPerMinute(), config.rateLimitBurst(),
            System::nanoTime);
        final var builder = WebServer.builder()
            .host(config.host())
            .port(config.port())
            .shutdownHook(false)
            .featuresDiscoverServices(false)
            .directHandlers(JsonDirectHandler.handlers())
            .addFeature(ObserveFeature.just(health(core)))
            .routing(routing -> ApiRouting.routing(routing, config, core, keys, limiter, metrics));
        if (!config.corsOrigins().isEmpty()) {
            builder.addFeature(cors(config));
        }
        final WebServer webServer = builder.build().start();
        if (webServer.port() == -1) {
            storage.close();
            core.close();
            engine.close();
            release(processLock);
            throw new IllegalStateException("cannot listen on " + config.host() + ":" + config.port()
                + " (is the port in use? set server.port / CONTINUUM_API_PORT or --port)");
        }
        final ContinuumServer server = new ContinuumServer(config, engine, storage, core, metrics, webServer,
            processLock);
        // Requests may reach the core before the rebuild ends (they answer 503 "loading" then); closing it, as every
        // path out of here does, stops its threads.
        try {
            final long startNs = System.nanoTime();
            final long deltas = core.rebuild();
            LOG.info(() -> String.format("loaded %d deltas for %d tenants from %s storage in %d ms", deltas,
                engine.tenants().size(), config.storageBackend(), (System.nanoTime() - startNs) / 1_000_000));
            core.startFollowing(config.fleet(), keyId -> {
                if (keyId == null) {
                    keys.forgetCached();
                } else {
                    keys.forgetCached(keyId);
                }
            });
        } catch (final RuntimeException | Error e) {
            // Also an OutOfMemoryError: a server that cannot load must stop, not stay up answering 503 for ever.
            server.close();
            throw e;
        }
        LOG.info(() -> "Continuum listening on http://" + config.host() + ":" + webServer.port() + " (data "
            + config.dataDir().toAbsolutePath() + ")");
        return server;
    }

    /** {@code /observe/health}: live while the process runs, ready once loaded and the database answers. */
    private static HealthObserver health(final ContinuumCore core) {
        return HealthObserver.builder()
            .details(true)
            .addCheck(() -> HealthCheckResponse.builder().status(true).build(), HealthCheckType.LIVENESS,
                "continuum")
            .addCheck(() -> HealthCheckResponse.builder().status(core.ready())
                .detail("engine", core.loaded() ? "loaded" : "loading")
                .detail("database", core.storage().isReachable() ? "connected" : "unreachable").build(),
                HealthCheckType.READINESS, "continuum")
            .build();
    }

    /**
     * CORS for {@code /v1}: the configured origins may call with the API's headers and read the rate-limit headers;
     * preflights are answered before authentication (browsers send them without credentials).
     */
    private static CorsFeature cors(final ServerConfig config) {
        return CorsFeature.builder()
            .addDefaults(false)
            .addPath(path -> path.pathPattern("/v1/*")
                .allowOrigins(Set.copyOf(config.corsOrigins()))
                .allowMethods(Set.of("GET", "POST", "DELETE"))
                .allowHeaders(Set.of("Content-Type", "X-API-Key", "Authorization", "Continuum-Min-Position"))
                .exposeHeaders(Set.of("Retry-After", "X-RateLimit-Limit", "X-RateLimit-Remaining",
                    "Continuum-Position"))
                .maxAge(Duration.ofHours(1)))
            .build();
    }

    /** Opens the configured storage backend with the config's queue capacity and engine parameters. */
    public static Storage openStorage(final ServerConfig config) {
        final StorageSettings settings = StorageSettings.defaults()
            .withQueueCapacity(config.writeQueueCapacity())
            .withEngine(config.engine());
        return Storages.open(config.storageBackend(), config.dataDir(), config.connectionString(), settings);
    }

    private static void release(final SqliteProcessLock lock) {
        if (lock != null) {
            lock.close();
        }
    }

    /** The bound port (useful when the config asked for port 0). */
    public int port() {
        return webServer.port();
    }

    public ServerConfig config() {
        return config;
    }

    public ContinuumCore core() {
        return core;
    }

    public ContinuumMetrics metrics() {
        return metrics;
    }

    @Override
    public void close() {
        try {
            // Live event streams end first: the web server waits for running handlers.
            core.events().close();
            webServer.stop();
        } finally {
            try {
                storage.close();
            } finally {
                try {
                    core.close();
                } finally {
                    try {
                        engine.close();
                    } finally {
                        release(processLock);
                    }
                }
            }
        }
        LOG.info("Continuum stopped; write queue drained");
    }
}
