package ai.continuum.server;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The direct transport of {@link ApiClient}: requests handed to a routing through Helidon's {@link DirectClient}, with
 * no listener and no socket. {@link DirectServer} calls the service's own routing through it; a test that builds the
 * routing over a scripted core may too.
 */
public final class DirectApiClient implements ApiClient, AutoCloseable {
    private final DirectClient client;

    public DirectApiClient(final HttpRouting.Builder routing) {
        this.client = new DirectClient(routing);
    }

    /**
     * A Helidon request to {@code path} carrying {@code key} (none when null), for what {@link #exchange} cannot say
     * (a streamed or binary answer). {@code path} (with its query) is sent as written.
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
            request.header(HeaderNames.create(KEY_HEADER), key);
        }
        return request;
    }

    @Override
    public TestServer.Reply exchange(
            final String method,
            final String path,
            final String key,
            final Map<String, String> headers,
            final byte[] body) {
        final Http1ClientRequest request = request(Method.create(method), path, key);
        headers.forEach((name, value) -> request.header(HeaderNames.create(name), value));
        try (Http1ClientResponse response = body == null ? request.request() : request.submit(body)) {
            final Map<String, List<String>> answered = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (final Header h : response.headers()) {
                answered.computeIfAbsent(h.name(), n -> new ArrayList<>()).addAll(h.allValues());
            }
            final byte[] bytes = response.entity().hasEntity() ? response.as(byte[].class) : new byte[0];
            return TestServer.Reply.of(
                    response.status().code(),
                    new String(bytes, StandardCharsets.UTF_8),
                    HttpHeaders.of(answered, (name, value) -> true));
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
