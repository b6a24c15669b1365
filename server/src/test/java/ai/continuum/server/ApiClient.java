package ai.continuum.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The one client API of the tests: requests to a Continuum service with an optional API key, answered as
 * {@link TestServer.Reply}. {@link DirectServer} answers without a socket (route tests), {@link TestServer} over a real
 * listener (what only a socket shows), so a test written against this interface reads the same either way.
 */
public interface ApiClient {
    /** The API key header every route but the public ones requires. */
    String KEY_HEADER = "X-API-Key";

    /**
     * Sends {@code method} to {@code path} (with its query, sent as written so tests can send encoded names and odd
     * spellings) carrying {@code key} (none when null), {@code headers} and {@code body} (none when null).
     */
    TestServer.Reply exchange(String method, String path, String key, Map<String, String> headers, byte[] body);

    default TestServer.Reply get(final String path, final String key) {
        return exchange("GET", path, key, Map.of(), null);
    }

    default TestServer.Reply delete(final String path, final String key) {
        return exchange("DELETE", path, key, Map.of(), null);
    }

    /** POSTs {@code body} as JSON: a String as it is, anything else serialised. */
    default TestServer.Reply post(final String path, final String key, final Object body) {
        return exchange("POST", path, key, Map.of("Content-Type", "application/json"), jsonBytes(body));
    }

    /** Mints a key for {@code tenant} through the admin API. */
    default String createKey(final String tenant) {
        final TestServer.Reply r = post("/v1/keys", TestServer.ADMIN_KEY, Map.of("tenant_id", tenant, "name", "test"));
        if (r.status() != 201) {
            throw new IllegalStateException("key creation answered " + r.status() + ": " + r.body());
        }
        return r.json().get("api_key").asText();
    }

    /** {@code body} as a request body: a String as it is (UTF-8), anything else as JSON. */
    static byte[] jsonBytes(final Object body) {
        if (body instanceof String s) {
            return s.getBytes(StandardCharsets.UTF_8);
        }
        try {
            return Json.MAPPER.writeValueAsBytes(body);
        } catch (final JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** The mapper behind {@link #jsonBytes}, held apart because interfaces cannot have private fields. */
    final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();

        private Json() {}
    }
}
