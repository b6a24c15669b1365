package ai.continuum.server.federation.coordinator;

import ai.continuum.server.core.Version;
import ai.continuum.server.federation.HourlyLimits;
import ai.continuum.server.http.ApiException;
import ai.continuum.server.http.ErrorMapping;
import ai.continuum.server.http.Json;
import ai.continuum.server.tls.ListenerTls;
import ai.continuum.server.tls.TlsReloader;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.WebServer;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * The federation coordinator as a running service: its own web server (TLS when a key store is configured), its own
 * database in its own data directory, {@code /health}, {@code /ready}, {@code /metrics} and the
 * {@code /federation/...} routes ({@link CoordinatorService}). Not thread-safe: start and close from one thread.
 */
public final class CoordinatorServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(CoordinatorServer.class.getName());

    private final WebServer webServer;
    private final CoordinatorStore store;
    private final CoordinatorSettings settings;
    /** Null without TLS, or with TLS read only at start. */
    private final TlsReloader tlsReloader;

    private CoordinatorServer(
            final WebServer webServer,
            final CoordinatorStore store,
            final CoordinatorSettings settings,
            final TlsReloader tlsReloader) {
        this.webServer = webServer;
        this.store = store;
        this.settings = settings;
        this.tlsReloader = tlsReloader;
    }

    /** Checks the key store for a renewed certificate now (what the reload timer does); whether one was applied. */
    public boolean reloadTlsNow() {
        return tlsReloader != null && tlsReloader.checkNow();
    }

    public static CoordinatorServer start(final CoordinatorSettings settings) {
        final LongSupplier clock = System::currentTimeMillis;
        final CoordinatorStore store = new CoordinatorStore(settings.dataDir(), settings.connectionString(), clock);
        try {
            final CoordinatorMetrics metrics = new CoordinatorMetrics(store, settings.threshold(), clock);
            final NodeAuthenticator auth = new NodeAuthenticator(store, settings.maxSkewSeconds(), clock, metrics);
            final CoordinatorService service = new CoordinatorService(
                    store,
                    auth,
                    new HourlyLimits(settings.limits(), System::nanoTime),
                    metrics,
                    settings.threshold(),
                    settings.operatorToken(),
                    clock);
            final var builder = WebServer.builder()
                    .host(settings.host())
                    .port(settings.port())
                    .shutdownHook(false)
                    .featuresDiscoverServices(false)
                    .routing(routing -> {
                        routing.get("/health", (req, res) -> {
                                    final Map<String, Object> body = new LinkedHashMap<>();
                                    body.put("status", "healthy");
                                    body.put("service", "continuum-federation-coordinator");
                                    body.put("version", Version.current());
                                    body.put("timestamp", Instant.now().toString());
                                    Json.ok(res, body);
                                })
                                .get("/ready", (req, res) -> {
                                    final boolean ready = store.readable();
                                    Json.send(
                                            res,
                                            ready ? 200 : 503,
                                            Map.of(
                                                    "status",
                                                    ready ? "ready" : "unavailable",
                                                    "database",
                                                    ready ? "connected" : "unreachable"));
                                })
                                .get("/metrics", (req, res) -> {
                                    res.header(HeaderValues.create(
                                            "Content-Type", "text/plain; version=0.0.4; charset=utf-8"));
                                    res.send(metrics.scrape());
                                })
                                .register("/federation", service)
                                .any((req, res) -> {
                                    throw new ApiException(
                                            404,
                                            "not_found",
                                            "no route for "
                                                    + req.prologue().method().text() + " "
                                                    + req.path().path());
                                });
                        ErrorMapping.register(routing);
                    });
            final ListenerTls tls = settings.tls() ? ListenerTls.load(settings.listenerTls()) : null;
            if (tls != null) {
                builder.tls(tls.tls());
            }
            final WebServer webServer = builder.build().start();
            if (webServer.port() == -1) {
                throw new IllegalStateException(
                        "cannot listen on " + settings.host() + ":" + settings.port() + " (is the port in use?)");
            }
            // A renewed certificate in the key store is applied to new connections, as on the API listener.
            final TlsReloader reloader = tls == null
                    ? null
                    : new TlsReloader(
                            settings.listenerTls(), tls, next -> webServer.reloadTls(next.tls()), metrics::tlsReload);
            LOG.info(() -> "federation coordinator listening on " + (settings.tls() ? "https" : "http") + "://"
                    + settings.host() + ":" + webServer.port() + " (data "
                    + settings.dataDir().toAbsolutePath()
                    + ", k=" + settings.threshold() + ")");
            return new CoordinatorServer(webServer, store, settings, reloader);
        } catch (final RuntimeException e) {
            store.close();
            throw e;
        }
    }

    public int port() {
        return webServer.port();
    }

    public CoordinatorSettings settings() {
        return settings;
    }

    @Override
    public void close() {
        if (tlsReloader != null) {
            tlsReloader.close();
        }
        try {
            webServer.stop();
        } finally {
            store.close();
        }
    }
}
