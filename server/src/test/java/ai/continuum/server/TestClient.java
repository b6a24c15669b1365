package ai.continuum.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * The one HTTP client of the tests: JSON requests to a Continuum server at {@code base}, with an optional API key,
 * answered as {@link TestServer.Reply}. {@link TestServer} (a server in this JVM) and the end-to-end tests' child
 * process both talk through it. Checked exceptions are kept: a test that kills the server mid-request needs them.
 */
public final class TestClient {
    /** Longer than the server's commit wait (30 s), so a request that waits for a commit gets its answer. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(40);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public TestClient(final URI base) {
        this.base = base;
    }

    /** {@code path} appended as written (not resolved), so tests can send odd spellings such as "//v1/keys". */
    public URI uri(final String path) {
        return URI.create(base + path);
    }

    /** The client behind {@link #send}, for requests whose bodies are not text. */
    public HttpClient http() {
        return client;
    }

    /** A request to {@code path} carrying {@code key} (none when null). */
    public HttpRequest.Builder builder(final String path, final String key) {
        final HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(REQUEST_TIMEOUT);
        if (key != null) {
            b.header("X-API-Key", key);
        }
        return b;
    }

    public TestServer.Reply get(final String path, final String key) throws IOException, InterruptedException {
        return send(builder(path, key).GET().build());
    }

    public TestServer.Reply delete(final String path, final String key) throws IOException, InterruptedException {
        return send(builder(path, key).DELETE().build());
    }

    /** POSTs {@code body}: a String as it is, anything else as JSON. */
    public TestServer.Reply post(final String path, final String key, final Object body)
            throws IOException, InterruptedException {
        final String text = body instanceof String s ? s : JSON.writeValueAsString(body);
        return send(builder(path, key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(text))
                .build());
    }

    public TestServer.Reply send(final HttpRequest request) throws IOException, InterruptedException {
        final HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        return TestServer.Reply.of(response.statusCode(), response.body(), response.headers());
    }

    /** Mints a key for {@code tenant} through the admin API. */
    public String createKey(final String adminKey, final String tenant, final String name)
            throws IOException, InterruptedException {
        final TestServer.Reply r = post("/v1/keys", adminKey, Map.of("tenant_id", tenant, "name", name));
        if (r.status() != 201) {
            throw new IllegalStateException("key creation answered " + r.status() + ": " + r.body());
        }
        return r.json().get("api_key").asText();
    }
}
