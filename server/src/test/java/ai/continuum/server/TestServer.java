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
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * A real server on a free loopback port over SQLite in a temporary directory, and a small JSON client for it.
 */
public final class TestServer implements AutoCloseable {
    public static final String ADMIN_KEY = "test-admin-key-0123456789abcdef";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ContinuumServer server;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TestServer(final ContinuumServer server) {
        this.server = server;
    }

    /** Starts a server on {@code dataDir}; {@code overrides} win over the test defaults. */
    public static TestServer start(final Path dataDir, final Map<ConfigKey, String> overrides) {
        final Map<ConfigKey, String> flags = new EnumMap<>(ConfigKey.class);
        flags.put(ConfigKey.HOST, "127.0.0.1");
        flags.put(ConfigKey.PORT, "0");
        flags.put(ConfigKey.DATA_DIR, dataDir.toString());
        flags.put(ConfigKey.ADMIN_KEY, ADMIN_KEY);
        flags.put(ConfigKey.RATE_LIMIT_PER_MINUTE, "100000");
        flags.put(ConfigKey.RATE_LIMIT_BURST, "100000");
        flags.put(ConfigKey.AUTH_FAILURES_PER_MINUTE, "100000");
        flags.putAll(overrides);
        final ServerConfig config = new ConfigLoader(Map.of(), flags, null).load();
        return new TestServer(ContinuumServer.start(config, message -> { }));
    }

    public static TestServer start(final Path dataDir) {
        return start(dataDir, Map.of());
    }

    public ContinuumServer server() {
        return server;
    }

    public record Reply(int status, JsonNode json, String body, HttpResponse<String> raw) {
        public String header(final String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    public Reply get(final String path, final String key) {
        return send(builder(path, key).GET().build());
    }

    public Reply delete(final String path, final String key) {
        return send(builder(path, key).DELETE().build());
    }

    public Reply post(final String path, final String key, final String body) {
        return send(builder(path, key).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    public Reply post(final String path, final String key, final Object body) {
        try {
            return post(path, key, JSON.writeValueAsString(body));
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public HttpRequest.Builder builder(final String path, final String key) {
        final HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30));
        if (key != null) {
            b.header("X-API-Key", key);
        }
        return b;
    }

    /** The client behind {@link #send}, for requests whose bodies are not text. */
    public HttpClient client() {
        return client;
    }

    public URI uri(final String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    public Reply send(final HttpRequest request) {
        try {
            final HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode json = null;
            final String contentType = response.headers().firstValue("Content-Type").orElse("");
            if (contentType.contains("json") && !response.body().isEmpty()) {
                json = JSON.readTree(response.body());
            }
            return new Reply(response.statusCode(), json, response.body(), response);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Mints a key for {@code tenant} through the admin API. */
    public String createKey(final String tenant) {
        final Reply r = post("/v1/keys", ADMIN_KEY, Map.of("tenant_id", tenant, "name", "test"));
        if (r.status() != 201) {
            throw new IllegalStateException("key creation failed: " + r.status() + " " + r.body());
        }
        return r.json().get("api_key").asText();
    }

    @Override
    public void close() {
        server.close();
    }
}
