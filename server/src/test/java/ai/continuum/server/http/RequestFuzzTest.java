package ai.continuum.server.http;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.continuum.server.OneRoutingPerClass;
import ai.continuum.server.StoredFuzzInputs;
import ai.continuum.server.TestServer;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Coverage-guided fuzzing of whole requests through the service's real routing (called without a socket, so no network
 * connection is made for Jazzer's request-forgery detector to report): authentication, routing, body reading, each
 * handler's validation and the write path, for every route that takes a JSON body (and the admin import, whose body is
 * a document). The fuzzed part is the body; malformed request lines and headers are {@link HttpSemanticsTest}'s. A 5xx
 * answer or an error without the one error shape is a finding; {@link BodyFuzzTest} fuzzes the parser alone, faster.
 *
 * <p>Without {@code JAZZER_FUZZ} the stored inputs under {@code RequestFuzzTestInputs/} are replayed as a regression
 * test (by {@link #replaysStoredInput} in the inner loop, by Jazzer in {@code verify}); with it, Jazzer mutates them
 * for the time {@code jazzer.max_duration} allows.
 */
class RequestFuzzTest extends OneRoutingPerClass {
    /** Routes taking a body; the first input byte picks one. Admin routes are sent with the admin key. */
    private static final List<Route> ROUTES = List.of(
            new Route("/v1/learn", false),
            new Route("/v1/turn", false),
            new Route("/v1/recall", false),
            new Route("/v1/memories", false),
            new Route("/v1/memories/search", false),
            new Route("/mcp", false),
            new Route("/v1/keys", true),
            new Route("/v1/admin/import?tenant=fuzz-import", true));

    static String key;

    private record Route(String path, boolean admin) {}

    @BeforeAll
    static void start() {
        key = server.createKey("fuzz");
    }

    // Dictionary entries are in libFuzzer's syntax: a backslash escapes a backslash or a quote, \xNN is a byte.

    /** One request through the real routing: never a 5xx, every refusal in the one error shape. */
    @FuzzTest
    @Tag("jazzer")
    @DictionaryEntries({
        "\"user_message\"",
        "\"ai_response\"",
        "\"content\"",
        "\"keyword\"",
        "\"start_date\"",
        "\"end_date\"",
        "\"jsonrpc\"",
        "\"2.0\"",
        "\"method\"",
        "\"tools/call\"",
        "\"params\"",
        "\"arguments\"",
        "\"tenant_id\"",
        "\"format\"",
        "\"continuum-export\"",
        "\"tenants\"",
        "\"version\"",
        "2026-11-27",
        "\\\\u0000"
    })
    void request(final byte[] input) {
        if (input.length == 0) {
            return;
        }
        final Route route = ROUTES.get(Byte.toUnsignedInt(input[0]) % ROUTES.size());
        final TestServer.Reply reply = server.exchange(
                "POST",
                route.path(),
                route.admin() ? TestServer.ADMIN_KEY : key,
                Map.of("Content-Type", "application/json"),
                Arrays.copyOfRange(input, 1, input.length));
        if (reply.status() >= 500) {
            fail(route.path() + " answered " + reply.status() + ": " + reply.body());
        }
        if (reply.status() >= 400) {
            assertNotNull(reply.json(), () -> route.path() + " answered a non-JSON error: " + reply.body());
            if (route.path().equals("/mcp") && reply.json().has("jsonrpc")) {
                // The MCP transport answers a malformed message with a JSON-RPC error object, as its protocol requires.
                assertTrue(
                        reply.json().path("error").hasNonNull("code")
                                && reply.json().path("error").hasNonNull("message"),
                        () -> "/mcp answered an error without the JSON-RPC error shape: " + reply.body());
                return;
            }
            assertTrue(
                    reply.json().hasNonNull("error") && reply.json().hasNonNull("message"),
                    () -> route.path() + " answered an error without the error shape: " + reply.body());
        }
    }

    /** The stored inputs through {@link #request} without Jazzer's agent: the inner loop's regression run. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("storedInputs")
    void replaysStoredInput(final String name, final byte[] input) {
        request(input);
    }

    static Stream<Arguments> storedInputs() {
        return StoredFuzzInputs.of(RequestFuzzTest.class, "request");
    }
}
