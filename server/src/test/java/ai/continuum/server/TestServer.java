package ai.continuum.server;

import ai.continuum.server.config.ConfigKey;
import ai.continuum.server.config.ConfigLoader;
import ai.continuum.server.config.ServerConfig;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real server on a free loopback port over SQLite in a temporary directory, called through the socket transport
 * {@link TestClient} (whose checked exceptions become unchecked here). For what only a socket shows; route tests use
 * {@link DirectServer}, through the same {@link ApiClient}.
 */
public final class TestServer implements ApiClient, AutoCloseable {
    public static final String ADMIN_KEY = "test-admin-key-0123456789abcdef";

    private final ContinuumServer server;
    private final TestClient client;

    private TestServer(final ContinuumServer server) {
        this.server = server;
        this.client = new TestClient(URI.create("http://127.0.0.1:" + server.port()));
    }

    /** Starts a server on {@code dataDir}; {@code overrides} win over the test defaults. */
    public static TestServer start(final Path dataDir, final Map<ConfigKey, String> overrides) {
        return new TestServer(ContinuumServer.start(config(dataDir, overrides), message -> {}));
    }

    /** The tests' settings on {@code dataDir}: loopback, a free port, the test admin key, limits out of the way. */
    public static ServerConfig config(final Path dataDir, final Map<ConfigKey, String> overrides) {
        final Map<ConfigKey, String> flags = new EnumMap<>(ConfigKey.class);
        flags.put(ConfigKey.HOST, "127.0.0.1");
        flags.put(ConfigKey.PORT, "0");
        flags.put(ConfigKey.DATA_DIR, dataDir.toString());
        flags.put(ConfigKey.ADMIN_KEY, ADMIN_KEY);
        flags.put(ConfigKey.RATE_LIMIT_PER_MINUTE, "100000");
        flags.put(ConfigKey.RATE_LIMIT_BURST, "100000");
        flags.put(ConfigKey.AUTH_FAILURES_PER_MINUTE, "100000");
        // No background checkpoints unless a test asks: they would add a rebuild's CPU to every test server.
        flags.put(ConfigKey.SNAPSHOT_INTERVAL_SECONDS, "0");
        flags.putAll(overrides);
        return new ConfigLoader(Map.of(), flags, null).load();
    }

    public static TestServer start(final Path dataDir) {
        return start(dataDir, Map.of());
    }

    public ContinuumServer server() {
        return server;
    }

    /** One request, sent when called. */
    @FunctionalInterface
    public interface Send {
        Reply send() throws IOException, InterruptedException;
    }

    /**
     * Sends, then sends again as a client following the contract does while the answer is 409
     * {@code idempotency_key_in_progress} (a claim committed less than 10 s ago whose answer was never recorded: its
     * request was answered {@code outcome_unknown}, or its server was killed), each time after its
     * {@code Retry-After}, for at most 30 s, until the claim is old enough to be answered as committed.
     */
    public static Reply retryWhileInProgress(final Send send) throws IOException, InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Reply r = send.send();
        while (r.status() == 409 && System.nanoTime() - deadline < 0) {
            if (r.json() == null
                    || !"idempotency_key_in_progress"
                            .equals(r.json().path("error").asText())) {
                return r;
            }
            Thread.sleep(TimeUnit.SECONDS.toMillis(Long.parseLong(r.header("Retry-After"))));
            r = send.send();
        }
        return r;
    }

    /** One HTTP answer, over a socket or not; {@code json} is null unless the body is JSON. */
    public record Reply(int status, JsonNode json, String body, HttpHeaders headers) {
        private static final ObjectMapper JSON = new ObjectMapper();

        /** The answer with its body read as JSON when its content type says so. */
        public static Reply of(final int status, final String body, final HttpHeaders headers) throws IOException {
            final boolean json = headers.firstValue("Content-Type").orElse("").contains("json") && !body.isEmpty();
            return new Reply(status, json ? JSON.readTree(body) : null, body, headers);
        }

        public String header(final String name) {
            return headers.firstValue(name).orElse(null);
        }

        /**
         * Whether this is 500 {@code outcome_unknown}: a write that may or may not be applied, never twice
         * (server/API.md), which only a retry with its {@code Idempotency-Key} settles.
         */
        public boolean outcomeUnknown() {
            return status == 500
                    && json != null
                    && "outcome_unknown".equals(json.path("error").asText());
        }
    }

    @Override
    public Reply exchange(
            final String method,
            final String path,
            final String key,
            final Map<String, String> headers,
            final byte[] body) {
        return unchecked(() -> client.exchange(method, path, key, headers, body));
    }

    /** A java.net.http request to {@code path}, for what {@link #exchange} cannot say (restricted headers, streams). */
    public HttpRequest.Builder builder(final String path, final String key) {
        return client.builder(path, key);
    }

    /** The client behind {@link #send}, for requests whose bodies are not text. */
    public HttpClient client() {
        return client.http();
    }

    public URI uri(final String path) {
        return client.uri(path);
    }

    public Reply send(final HttpRequest request) {
        return unchecked(() -> client.send(request));
    }

    @Override
    public void close() {
        try {
            client.close();
        } finally {
            server.close();
        }
    }

    private interface Call<T> {
        T run() throws IOException, InterruptedException;
    }

    private static <T> T unchecked(final Call<T> call) {
        try {
            return call.run();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
