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
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webclient.http1.Http1ClientRequest;
import io.helidon.webclient.http1.Http1ClientResponse;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.DirectClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The service's real routing ({@link ApiRouting}: filters, authentication, resources, error mapping) over a real core
 * and SQLite storage in {@code dataDir}, called through Helidon's {@link DirectClient}: no listener, no socket. For
 * tests of routes, handlers, auth and error shapes; what only a socket shows (connection limits, TLS, raw header
 * blocks, body deadlines, the CORS and observe features of the web server) stays with {@link TestServer}.
 *
 * <p>Built as {@link ContinuumServer#start} builds its routing, minus what belongs to the listener (TLS, connection
 * gate, watchdog, heartbeat) and to a fleet or federation. Not {@code @RoutingTest}: that extension builds one routing
 * per class in a static method, while tests here start several services with their own settings.
 */
public final class DirectServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ServerConfig config;
    private final Storage storage;
    private final MemoryEngine engine;
    private final ContinuumCore core;
    private final ContinuumMetrics metrics;
    private final ApiKeyAuthenticator keys;
    /** Null for a service {@link #unrouted} whose routing a {@code @RoutingTest} builds. */
    private final DirectClient client;

    private DirectServer(final ServerConfig config, final boolean withClient) {
        this.config = config;
        this.storage = ContinuumServer.openStorage(config);
        final var sized = EngineSizing.forStored(config.engine(), storage);
        this.engine = config.semanticIndex()
                ? MemoryEngine.create(sized, System::currentTimeMillis, SemanticModel.load())
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
        this.client = withClient ? new DirectClient(routing(HttpRouting.builder())) : null;
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

    /**
     * A request to {@code path} carrying {@code key} (none when null), for headers the helpers below do not set.
     * {@code path} (with its query) is sent as written, so tests can send encoded names and odd spellings.
     */
    public Http1ClientRequest request(final Method method, final String path, final String key) {
        final int q = path.indexOf('?');
        final Http1ClientRequest request =
                client.method(method).skipUriEncoding(true).path(q < 0 ? path : path.substring(0, q));
        if (q >= 0) {
            for (final String pair : path.substring(q + 1).split("&", -1)) {
                final int eq = pair.indexOf('=');
                if (eq < 0) {
                    request.queryParam(pair, "");
                } else {
                    request.queryParam(pair.substring(0, eq), pair.substring(eq + 1));
                }
            }
        }
        if (key != null) {
            request.header(HeaderNames.create("X-API-Key"), key);
        }
        return request;
    }

    public TestServer.Reply get(final String path, final String key) {
        return send(request(Method.GET, path, key), null);
    }

    public TestServer.Reply delete(final String path, final String key) {
        return send(request(Method.DELETE, path, key), null);
    }

    /** POSTs {@code body}: a String as it is, anything else as JSON. */
    public TestServer.Reply post(final String path, final String key, final Object body) {
        final String text;
        try {
            text = body instanceof String s ? s : JSON.writeValueAsString(body);
        } catch (final JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
        return send(
                request(Method.POST, path, key).header(HeaderNames.CONTENT_TYPE, "application/json"),
                text.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends {@code request} with {@code body} (none when null). */
    public TestServer.Reply send(final Http1ClientRequest request, final byte[] body) {
        try (Http1ClientResponse response = body == null ? request.request() : request.submit(body)) {
            final Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (final Header h : response.headers()) {
                headers.computeIfAbsent(h.name(), n -> new ArrayList<>()).addAll(h.allValues());
            }
            final byte[] bytes = response.entity().hasEntity() ? response.as(byte[].class) : new byte[0];
            return TestServer.Reply.of(
                    response.status().code(),
                    new String(bytes, StandardCharsets.UTF_8),
                    HttpHeaders.of(headers, (name, value) -> true));
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Mints a key for {@code tenant} through the admin API. */
    public String createKey(final String tenant) {
        final TestServer.Reply r = post("/v1/keys", TestServer.ADMIN_KEY, Map.of("tenant_id", tenant, "name", "test"));
        if (r.status() != 201) {
            throw new IllegalStateException("key creation answered " + r.status() + ": " + r.body());
        }
        return r.json().get("api_key").asText();
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
