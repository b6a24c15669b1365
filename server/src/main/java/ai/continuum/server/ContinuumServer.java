package ai.continuum.server;

import ai.continuum.engine.MemoryEngine;
import ai.continuum.server.auth.AdminKey;
import ai.continuum.server.auth.ApiKeyAuthenticator;
import ai.continuum.server.auth.KeyHasher;
import ai.continuum.server.config.ConnectionLimits;
import ai.continuum.server.config.ServerConfig;
import ai.continuum.server.core.ContinuumCore;
import ai.continuum.server.core.EngineSizing;
import ai.continuum.server.core.MemoryPressure;
import ai.continuum.server.federation.node.FederationNode;
import ai.continuum.server.http.ApiRouting;
import ai.continuum.server.http.ConnectionGate;
import ai.continuum.server.http.ConnectionGuard;
import ai.continuum.server.http.Heartbeat;
import ai.continuum.server.http.JsonDirectHandler;
import ai.continuum.server.http.ListenerWatchdog;
import ai.continuum.server.http.ShutdownGate;
import ai.continuum.server.logging.SuppressedAccessLines;
import ai.continuum.server.metrics.ContinuumMetrics;
import ai.continuum.server.ratelimit.ClientLimiter;
import ai.continuum.server.ratelimit.RateLimiter;
import ai.continuum.server.ratelimit.SharedRateLimiter;
import ai.continuum.server.redis.RedisLink;
import ai.continuum.server.snapshot.Checkpointer;
import ai.continuum.server.snapshot.SnapshotStore;
import ai.continuum.server.storage.OwnerOnly;
import ai.continuum.server.storage.SqliteProcessLock;
import ai.continuum.server.storage.Storage;
import ai.continuum.server.storage.StorageSettings;
import ai.continuum.server.storage.Storages;
import ai.continuum.server.tls.ListenerTls;
import ai.continuum.server.tls.ProbeTls;
import ai.continuum.server.tls.TlsReloader;
import com.sun.management.UnixOperatingSystemMXBean;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.cors.CorsFeature;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * The running service: config, then engine, storage, the rebuild of the engine from storage, and the web server.
 *
 * <p>The web server starts while the engine loads ({@link EngineLoad}), so liveness answers at once while
 * {@code /v1/ready} and {@code /observe/health/ready} report 503 and data endpoints answer 503 "loading" until the
 * engine holds everything storage has. {@link #close()} stops accepting requests, lets in-flight ones finish, drains the write-behind queue
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
    private final ConnectionGuard guard;
    /** Null when {@code server.listener-check-seconds} is 0. */
    private volatile ListenerWatchdog watchdog;
    /** Keeps a SQLite store to this process (null on PostgreSQL, which several instances share). */
    private final SqliteProcessLock processLock;
    /** The shared Redis of the rate limits, or null when none is configured. */
    private final RedisLink redis;
    /** Applies rotated certificates to the listener (null without TLS). */
    private final TlsReloader tlsReloader;
    /** Null when this service is not a federation node. */
    private final FederationNode federation;
    /** The file a container health check reads (null when server.heartbeat-file is not set). */
    private final Heartbeat heartbeat;

    private final ShutdownGate gate;
    private final AtomicBoolean closed = new AtomicBoolean();

    private ContinuumServer(
            final ServerConfig config,
            final MemoryEngine engine,
            final Storage storage,
            final ContinuumCore core,
            final ContinuumMetrics metrics,
            final WebServer webServer,
            final ConnectionGuard guard,
            final SqliteProcessLock processLock,
            final RedisLink redis,
            final ShutdownGate gate,
            final TlsReloader tlsReloader,
            final FederationNode federation,
            final Heartbeat heartbeat) {
        this.heartbeat = heartbeat;
        this.processLock = processLock;
        this.redis = redis;
        this.tlsReloader = tlsReloader;
        this.federation = federation;
        this.gate = gate;
        this.config = config;
        this.engine = engine;
        this.storage = storage;
        this.core = core;
        this.metrics = metrics;
        this.webServer = webServer;
        this.guard = guard;
    }

    /**
     * Starts the service and returns once the engine is rebuilt and every endpoint is ready.
     *
     * @param console receives messages meant for the operator's console (the admin key generated on first start).
     * @throws IllegalStateException when the port is taken or storage cannot be opened.
     */
    public static ContinuumServer start(final ServerConfig config, final Consumer<String> console) {
        return start(config, console, () -> System.exit(ListenerWatchdog.EXIT_LISTENER_LOST));
    }

    /**
     * As {@link #start(ServerConfig, Consumer)}, calling {@code onListenerLost} instead of exiting the process with
     * {@link ListenerWatchdog#EXIT_LISTENER_LOST} when the listening socket is found gone.
     */
    public static ContinuumServer start(
            final ServerConfig config, final Consumer<String> console, final Runnable onListenerLost) {
        if (!config.requireApiKey()) {
            LOG.warning("auth.require-api-key=false: requests without a key act as tenant '" + config.defaultTenant()
                    + "'; allowed only because the server binds loopback " + config.host());
        }
        try {
            OwnerOnly.directory(config.dataDir());
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + config.dataDir(), e);
        }
        // Read first: a missing or mismatched certificate stops the start before anything is opened.
        final ListenerTls tls = config.tls().enabled() ? ListenerTls.load(config.tls()) : null;
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
            final var sized = EngineSizing.forStored(config.engine(), storage);
            engine = config.semanticIndex()
                    ? MemoryEngine.create(sized, System::currentTimeMillis, SemanticModel.load(config.semanticModel()))
                    : MemoryEngine.create(sized);
        } catch (final RuntimeException e) {
            storage.close();
            release(processLock);
            throw e;
        }
        final ContinuumMetrics metrics = new ContinuumMetrics(config.metricsTenantLabels());
        final ContinuumCore core = new ContinuumCore(engine, storage, metrics);
        core.limitMemory(MemoryPressure.ofThisProcess(config.memoryWriteLimitPercent()));
        metrics.bindEngine(engine);
        metrics.bindStorage(storage::queueDepth, config.writeQueueCapacity(), core::ready);
        final ApiKeyAuthenticator keys = new ApiKeyAuthenticator(
                storage.apiKeys(),
                new KeyHasher(KeyHasher.DEFAULT_ITERATIONS),
                adminKey,
                config.defaultTenant(),
                KEY_CACHE_TTL.toNanos(),
                System::nanoTime);
        final FederationNode federation;
        try {
            federation = config.federation().enabled()
                    ? new FederationNode(
                            config.federation(), storage.federationPool(), core, metrics, System::currentTimeMillis)
                    : null;
        } catch (final RuntimeException e) {
            core.close();
            storage.close();
            engine.close();
            release(processLock);
            throw new IllegalStateException("cannot start as a federation node: " + e.getMessage(), e);
        }
        final RedisLink redis = config.redis().enabled() ? RedisLink.open(config.redis()) : null;
        final ClientLimiter limiter = redis == null
                ? new RateLimiter(config.rateLimitPerMinute(), config.rateLimitBurst(), System::nanoTime)
                : new SharedRateLimiter(
                        config.rateLimitPerMinute(), config.rateLimitBurst(), redis, metrics.bindRedis(redis::up));
        SuppressedAccessLines.install();
        final ConnectionLimits limits = config.connections();
        final int maxConnections = maxConnections(limits);
        final ConnectionGuard guard = new ConnectionGuard(
                limits.readTimeout(), limits.bodyTimeout(), limits.bodyMinBytesPerSecond(), System::nanoTime);
        final ConnectionGate connectionGate = new ConnectionGate(
                Http1Config.builder()
                        .addReceiveListener(guard)
                        .addSendListener(guard.sendListener())
                        .build(),
                maxConnections,
                guard);
        metrics.bindConnections(
                connectionGate::open, connectionGate::refused, guard::headerTimeouts, guard::bodyTimeouts);
        final ShutdownGate gate = new ShutdownGate();
        // The engine loads (snapshot restore or SQL rebuild) while the web server is built and started: they share
        // only the core, which answers 503 "loading" until the load ends, as it did when the listener came first.
        // Building and starting Helidon is mostly class loading and initialisation on this thread (about 0.6 s of a
        // cold start), so a second core does the load meanwhile instead of after it.
        final SnapshotStore snapshots = new SnapshotStore(config.snapshots().dir());
        final EngineLoad load = EngineLoad.start(core, config.snapshots().restore() ? snapshots : null);
        final WebServer webServer;
        try {
            webServer = webServer(
                    config,
                    core,
                    keys,
                    limiter,
                    metrics,
                    federation,
                    gate,
                    connectionGate,
                    maxConnections,
                    limits,
                    tls);
        } catch (final RuntimeException | Error e) {
            closeUnstarted(load, federation, guard, redis, storage, core, engine, processLock);
            throw e;
        }
        if (webServer.port() == -1) {
            closeUnstarted(load, federation, guard, redis, storage, core, engine, processLock);
            throw new IllegalStateException("cannot listen on " + config.host() + ":" + config.port()
                    + " (is the port in use? set server.port / CONTINUUM_API_PORT or --port)");
        }
        final AtomicReference<ListenerTls> currentTls = new AtomicReference<>(tls);

        final TlsReloader tlsReloader = tls == null ? null : tlsReloader(config, currentTls, webServer, metrics);
        final Heartbeat heartbeat = config.heartbeatFile()
                .map(file -> Heartbeat.start(
                        file,
                        selfUri(config, webServer.port(), tls != null, "/v1/ready"),
                        tls == null
                                ? null
                                : ProbeTls.pinned(() -> currentTls.get().leaf())))
                .orElse(null);
        final ListenerWatchdog watchdog = limits.listenerCheck().isZero()
                ? null
                : new ListenerWatchdog(config.host(), webServer.port(), limits.listenerCheck(), onListenerLost);
        final ContinuumServer server = new ContinuumServer(
                config,
                engine,
                storage,
                core,
                metrics,
                webServer,
                guard,
                processLock,
                redis,
                gate,
                tlsReloader,
                federation,
                heartbeat);
        server.watchdog = watchdog;
        // Requests may reach the core before the rebuild ends (they answer 503 "loading" then); closing it, as every
        // path out of here does, stops its threads.
        try {
            final String loaded = load.await();
            LOG.info(() -> loaded + " (" + config.storageBackend() + ")");
            core.startFollowing(config.fleet(), keyId -> {
                if (keyId == null) {
                    keys.forgetCached();
                } else {
                    keys.forgetCached(keyId);
                }
            });
            if (federation != null) {
                federation.start();
            }
            if (config.snapshots().intervalSeconds() > 0) {
                core.startCheckpoints(
                        snapshots,
                        config.snapshots().intervalSeconds(),
                        Checkpointer.Source.named(config.snapshots().checkpointEngine()));
            }
        } catch (final RuntimeException | Error e) {
            // Also an OutOfMemoryError: a server that cannot load must stop, not stay up answering 503 for ever.
            server.close();
            throw e;
        }
        LOG.info(() -> "Continuum listening on " + (tls == null ? "http" : "https") + "://" + config.host() + ":"
                + webServer.port() + " (data " + config.dataDir().toAbsolutePath() + ")"
                + (tls == null
                        ? ""
                        : "; TLS certificate " + tls.describe() + ", client certificates "
                                + config.tls().clientAuth()));
        return server;
    }

    /** Builds and starts the web server; its port is -1 when it could not bind. */
    private static WebServer webServer(
            final ServerConfig config,
            final ContinuumCore core,
            final ApiKeyAuthenticator keys,
            final ClientLimiter limiter,
            final ContinuumMetrics metrics,
            final FederationNode federation,
            final ShutdownGate gate,
            final ConnectionGate connectionGate,
            final int maxConnections,
            final ConnectionLimits limits,
            final ListenerTls tls) {
        final var builder = WebServer.builder()
                .host(config.host())
                .port(config.port())
                // Helidon's permits (taken before accept) cover the admitted connections and the refusals.
                .maxTcpConnections(maxConnections + ConnectionLimits.REFUSAL_SLOTS)
                .idleConnectionTimeout(limits.idleTimeout())
                .idleConnectionPeriod(idleCheckPeriod(limits.idleTimeout()))
                // No Nagle: an answer written in more than one segment would otherwise wait for the client's
                // (delayed) ACK of the first before the rest goes out, tens of milliseconds for a lone client.
                .connectionOptions(
                        options -> options.readTimeout(limits.readTimeout()).tcpNoDelay(true))
                // The only selector, so it is handed each connection as accepted (see ConnectionGate); no protocol is
                // configured, so Helidon adds no HTTP/1 selector of its own (a second one would also leave a garbage
                // request line unanswered).
                .protocolsDiscoverServices(false)
                .addConnectionSelector(connectionGate)
                .shutdownHook(false)
                .featuresDiscoverServices(false)
                .directHandlers(JsonDirectHandler.handlers())
                .addFeature(ObserveFeature.just(health(core)))
                .routing(routing -> {
                    // Outermost: at shutdown, refuses new requests and lets the ones inside finish (see close()).
                    routing.addFilter(gate);
                    ApiRouting.routing(routing, config, core, keys, limiter, metrics, federation);
                });
        if (!config.corsOrigins().isEmpty()) {
            builder.addFeature(cors(config));
        }
        if (tls != null) {
            builder.tls(tls.tls());
        }
        return builder.build().start();
    }

    /**
     * Releases what a start opened when the listener could not be started: waits for the engine's load first (it
     * writes into the engine and reads storage, which are closed after it).
     */
    private static void closeUnstarted(
            final EngineLoad load,
            final FederationNode federation,
            final ConnectionGuard guard,
            final RedisLink redis,
            final Storage storage,
            final ContinuumCore core,
            final MemoryEngine engine,
            final SqliteProcessLock processLock) {
        load.awaitQuietly();
        if (federation != null) {
            federation.close();
        }
        guard.close();
        release(redis);
        storage.close();
        core.close();
        engine.close();
        release(processLock);
    }

    /** Publishes the certificate's expiry and applies rotated files to new connections. */
    private static TlsReloader tlsReloader(
            final ServerConfig config,
            final AtomicReference<ListenerTls> current,
            final WebServer webServer,
            final ContinuumMetrics metrics) {
        metrics.bindTls(() -> current.get().notAfter().getEpochSecond());
        return new TlsReloader(
                config.tls(),
                current.get(),
                next -> {
                    webServer.reloadTls(next.tls());
                    current.set(next);
                },
                metrics::tlsReload);
    }

    /**
     * The listener's {@code path} as this host reaches it: the configured address, or loopback when the server listens
     * on every address.
     */
    static URI selfUri(final ServerConfig config, final int port, final boolean https, final String path) {
        String host = config.host();
        try {
            final InetAddress address = InetAddress.getByName(host);
            if (address.isAnyLocalAddress()) {
                host = "127.0.0.1";
            } else if (address instanceof Inet6Address) {
                host = "[" + address.getHostAddress() + "]";
            }
        } catch (final UnknownHostException e) {
            // Left as configured: the heartbeat then reports that it cannot reach it.
        }
        return URI.create((https ? "https" : "http") + "://" + host + ":" + port + path);
    }

    /** Checks the TLS files now instead of at the next period; whether a new certificate was applied. */
    public boolean reloadTls() {
        return tlsReloader != null && tlsReloader.checkNow();
    }

    /** The connection cap for this process's file-descriptor limit, logged so an operator sees what applies. */
    private static int maxConnections(final ConnectionLimits limits) {
        long limit = -1;
        long open = 0;
        if (ManagementFactory.getOperatingSystemMXBean() instanceof final UnixOperatingSystemMXBean unix) {
            limit = unix.getMaxFileDescriptorCount();
            open = unix.getOpenFileDescriptorCount();
        }
        final int cap = limits.effectiveMaxConnections(limit, open);
        final long fdLimit = limit;
        final long fdOpen = open;
        LOG.info(() -> "accepting at most " + cap + " connections (server.max-connections=" + limits.maxConnections()
                + ", file-descriptor limit " + (fdLimit < 0 ? "unknown" : fdLimit) + ", " + fdOpen + " open); idle "
                + "timeout " + limits.idleTimeout().toSeconds() + " s, read timeout "
                + limits.readTimeout().toSeconds()
                + " s, body timeout " + limits.bodyTimeout().toSeconds() + " s + 1 s per "
                + limits.bodyMinBytesPerSecond() + " bytes; past the cap, 503 too_many_connections");
        return cap;
    }

    /** Idle connections are looked for a few times per timeout, so one lives at most about 4/3 of it. */
    private static Duration idleCheckPeriod(final Duration idleTimeout) {
        return Duration.ofMillis(Math.max(250, idleTimeout.toMillis() / 3));
    }

    /** {@code /observe/health}: live while the process runs, ready once loaded and the database answers. */
    private static HealthObserver health(final ContinuumCore core) {
        return HealthObserver.builder()
                .details(true)
                // Not Helidon's built-in checks: the disk one shows the data volume's sizes to anonymous callers.
                .useSystemServices(false)
                .addCheck(
                        () -> HealthCheckResponse.builder().status(true).build(), HealthCheckType.LIVENESS, "continuum")
                .addCheck(
                        () -> HealthCheckResponse.builder()
                                .status(core.ready())
                                .detail("engine", core.loaded() ? "loaded" : "loading")
                                .detail("database", core.databaseReadable() ? "connected" : "unreachable")
                                .detail("writes", core.writesAccepted() ? "accepted" : "refused")
                                .detail("skipped_rows", Long.toString(core.skippedRows()))
                                .build(),
                        HealthCheckType.READINESS,
                        "continuum")
                .build();
    }

    /**
     * CORS for {@code /v1} and {@code /mcp}: the configured origins may call and read the rate-limit headers;
     * preflights are answered before authentication (browsers send them without credentials). Any request header is
     * allowed: the origin list is the protection, and Helidon 4.5 compares {@code Access-Control-Request-Headers}
     * against a header list without splitting {@code content-type,x-api-key} (what Chromium sends, no space), refusing
     * real browsers. {@code /mcp} is stateless (no {@code Mcp-Session-Id}) and only POST does anything there.
     */
    private static CorsFeature cors(final ServerConfig config) {
        final Set<String> origins = Set.copyOf(config.corsOrigins());
        final Set<String> exposed =
                Set.of("Retry-After", "X-RateLimit-Limit", "X-RateLimit-Remaining", "Continuum-Position");
        return CorsFeature.builder()
                .addDefaults(false)
                .addPath(path -> path.pathPattern("/v1/*")
                        .allowOrigins(origins)
                        .allowMethods(Set.of("GET", "POST", "DELETE"))
                        .allowHeaders(Set.of("*"))
                        .exposeHeaders(exposed)
                        .maxAge(Duration.ofHours(1)))
                .addPath(path -> path.pathPattern("/mcp")
                        .allowOrigins(origins)
                        .allowMethods(Set.of("POST"))
                        .allowHeaders(Set.of("*"))
                        .exposeHeaders(exposed)
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

    private static void release(final RedisLink redis) {
        if (redis != null) {
            redis.close();
        }
    }

    /** The bound port (useful when the config asked for port 0). */
    public int port() {
        return webServer.port();
    }

    public ServerConfig config() {
        return config;
    }

    /**
     * The engine this server wired up, for checks of what it holds (tests compare checksums); request handlers never
     * see it, they go through {@link #core()}.
     */
    public MemoryEngine engine() {
        return engine;
    }

    /** The storage this server wired up, for checks of what is committed; request handlers go through {@link #core()}. */
    public Storage storage() {
        return storage;
    }

    public ContinuumCore core() {
        return core;
    }

    public ContinuumMetrics metrics() {
        return metrics;
    }

    /**
     * The SIGTERM path: readiness answers 503 at once while every request is still served for
     * {@link ServerConfig#shutdownDrainSeconds} (load balancers and Kubernetes endpoints take that long to stop
     * sending), then {@link #close()}.
     */
    public void drainAndClose() {
        core.startDraining();
        LOG.info(() -> "shutting down: readiness reports 503; serving for " + config.shutdownDrainSeconds()
                + " s more before refusing new requests");
        try {
            Thread.sleep(Duration.ofSeconds(config.shutdownDrainSeconds()));
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        close();
    }

    /**
     * Refuses new requests (503 {@code shutting_down}, nothing applied), waits for the requests inside to be answered
     * (each waits at most {@link ContinuumCore#COMMIT_WAIT} for its commit, so a learn that commits is answered 200
     * rather than cut off), stops the web server, commits the write queue and releases the engine. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        core.startDraining();
        if (heartbeat != null) {
            // First: a server on its way out has no heartbeat, whatever the listener still answers while it drains.
            heartbeat.close();
        }
        gate.close();
        // Live event streams end first: they would hold the gate open until its deadline.
        core.events().close();
        final int left = gate.awaitIdle(ContinuumCore.COMMIT_WAIT.plusSeconds(5));
        if (left > 0) {
            LOG.warning(left + " request(s) still running at shutdown; they are cut off (a write among them is "
                    + "committed if it was queued)");
        }
        if (tlsReloader != null) {
            tlsReloader.close();
        }
        final ListenerWatchdog dog = watchdog;
        if (dog != null) {
            // Before the listener stops, which the watchdog would take for a lost one.
            dog.close();
        }
        try {
            webServer.stop();
            guard.close();
            if (federation != null) {
                federation.close();
            }
            release(redis);
        } finally {
            try {
                // Before the storage: a checkpoint under way would read from a closed pool. The applier stays open
                // until after it, for the async commits the storage's close drains.
                core.stopReadingStorage();
            } finally {
                closeStorageThenCore();
            }
        }
        LOG.info("Continuum stopped; write queue drained");
    }

    private void closeStorageThenCore() {
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
}
