package ai.continuum.server.http;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.continuum.server.OneServerPerClass;
import ai.continuum.server.TestServer;
import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.http.HttpRequest;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Coverage-guided fuzzing of whole requests through the real server: authentication, routing, body reading, each
 * handler's validation and the write path, for every route that takes a JSON body (and the admin import, whose body
 * is a document). A 5xx answer or an error without the one error shape is a finding; {@link BodyFuzzTest} fuzzes the
 * parser alone, faster.
 *
 * <p>Without {@code JAZZER_FUZZ} the stored inputs under {@code RequestFuzzTestInputs/} are replayed as a regression
 * test; with it, Jazzer mutates them for the time {@code jazzer.max_duration} allows.
 */
// Real socket: fuzzes bytes over the wire, through the listener and HTTP/1 parser.
class RequestFuzzTest extends OneServerPerClass {
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

    /**
     * Jazzer's request-forgery detector reports any connection it was not told to expect, from any thread. This test's
     * own client and the server's listener watchdog both connect to the server under test on loopback; nothing else
     * may be connected to.
     */
    private static SilentCloseable onlyTheServerUnderTest;

    private record Route(String path, boolean admin) {}

    @BeforeAll
    static void start() {
        key = server.createKey("fuzz");
    }

    /**
     * Tells the detector, once its hooks are loaded (at the first input, not before: Jazzer's agent is installed when
     * fuzzing starts), that connections to the server under test are expected. {@code .ci/fuzz.sh} sets
     * JAZZER_SSRF_PERMISSIVE_UNTIL_CONFIGURED so that a watchdog probe between the agent's start and this call is not
     * reported either.
     */
    private static void expectOnlyTheServerUnderTest() {
        if (onlyTheServerUnderTest != null) {
            return;
        }
        final int port = server.uri("/").getPort();
        try {
            onlyTheServerUnderTest = BugDetectors.allowNetworkConnections((host, connectPort) ->
                    connectPort == port && (host.equals("localhost") || host.equals("127.0.0.1")));
        } catch (final IllegalStateException sanitizersNotLoaded) {
            // Replaying stored inputs without the fuzzer: no detector runs, so there is nothing to configure.
            onlyTheServerUnderTest = () -> {};
        }
    }

    @AfterAll
    static void stop() {
        if (onlyTheServerUnderTest != null) {
            onlyTheServerUnderTest.close();
            onlyTheServerUnderTest = null;
        }
    }

    // Dictionary entries are in libFuzzer's syntax: a backslash escapes a backslash or a quote, \xNN is a byte.

    /** One request through the real server: never a 5xx, every refusal in the one error shape. */
    @FuzzTest
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
        expectOnlyTheServerUnderTest();
        if (input.length == 0) {
            return;
        }
        final Route route = ROUTES.get(Byte.toUnsignedInt(input[0]) % ROUTES.size());
        final HttpRequest request = server.builder(route.path(), route.admin() ? TestServer.ADMIN_KEY : key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Arrays.copyOfRange(input, 1, input.length)))
                .build();
        final TestServer.Reply reply = server.send(request);
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
}
