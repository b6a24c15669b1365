package ai.continuum.server;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * The socket transport of {@link ApiClient}: requests over HTTP (or HTTPS, given an {@link SSLContext}) to a Continuum
 * server or federation coordinator at {@code base}, answered as {@link TestServer.Reply}. {@link TestServer} (a server
 * in this JVM), the end-to-end tests' child process and the federation tests' hand-driven node all talk through it.
 * Checked exceptions are kept: a test that kills the server mid-request needs them.
 */
public final class TestClient implements AutoCloseable {
    /** Longer than the server's commit wait (30 s), so a request that waits for a commit gets its answer. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(40);

    private final URI base;
    private final HttpClient client;

    public TestClient(final URI base) {
        this(base, null);
    }

    /** A client trusting what {@code ssl} trusts (the JDK's defaults when null). */
    public TestClient(final URI base, final SSLContext ssl) {
        this.base = base;
        final HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        if (ssl != null) {
            builder.sslContext(ssl);
        }
        this.client = builder.build();
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
            b.header(ApiClient.KEY_HEADER, key);
        }
        return b;
    }

    /** As {@link ApiClient#exchange}, with the transport's checked exceptions. */
    public TestServer.Reply exchange(
            final String method,
            final String path,
            final String key,
            final Map<String, String> headers,
            final byte[] body)
            throws IOException, InterruptedException {
        final HttpRequest.Builder b = builder(path, key);
        headers.forEach(b::header);
        return send(b.method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body))
                .build());
    }

    public TestServer.Reply get(final String path, final String key) throws IOException, InterruptedException {
        return exchange("GET", path, key, Map.of(), null);
    }

    public TestServer.Reply delete(final String path, final String key) throws IOException, InterruptedException {
        return exchange("DELETE", path, key, Map.of(), null);
    }

    /** POSTs {@code body} as JSON: a String as it is, anything else serialised. */
    public TestServer.Reply post(final String path, final String key, final Object body)
            throws IOException, InterruptedException {
        return exchange("POST", path, key, Map.of("Content-Type", "application/json"), ApiClient.jsonBytes(body));
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

    /** Closes the connections and threads of the client behind it. */
    @Override
    public void close() {
        client.close();
    }
}
