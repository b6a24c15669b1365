package ai.continuum.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import ai.continuum.server.DirectServer;
import ai.continuum.server.TestServer;
import ai.continuum.server.config.ConfigKey;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The routing's answers to requests it cannot serve: JSON the parser refuses by its limits is a 400 (never a 500),
 * unknown routes are 404 with or without a key, and a wrong method is 405 with {@code Allow}, all in the one error
 * shape. What the listener answers before the routing sees a request is {@link HttpSemanticsTest}'s.
 */
class RouteAnswersTest {
    @TempDir
    static Path dataDir;

    static DirectServer server;
    static String key;

    @BeforeAll
    static void start() {
        // A body limit far above the parser's, so that the 21M-character string reaches the parser.
        server = DirectServer.start(dataDir, Map.of(ConfigKey.MAX_BODY_BYTES, Integer.toString(32 << 20)));
        key = server.createKey("proto");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** {@code r} is a {@code status} answer in the one error shape, naming no exception. */
    static void assertErrorShape(final TestServer.Reply r, final int status, final String what) {
        assertEquals(status, r.status(), what + ": " + r.body());
        assertNotNull(r.json(), what + " must answer JSON: " + r.body());
        assertNotNull(r.json().get("error"), what);
        assertNotNull(r.json().get("message"), what);
        assertFalse(r.body().contains("Exception"), what + " leaks internals: " + r.body());
    }

    @Test
    void shouldAnswer400ForJsonBeyondTheParserLimits() {
        final String deep = "{\"message\": " + "[".repeat(1_500) + "]".repeat(1_500) + "}";
        assertErrorShape(server.post("/v1/recall", key, deep), 400, "nesting deeper than 1000");
        final String longNumber = "{\"message\": \"x\", \"max_concepts\": " + "7".repeat(1_500) + "}";
        assertErrorShape(server.post("/v1/recall", key, longNumber), 400, "number of 1500 digits");
        final String longFraction = "{\"message\": \"x\", \"max_concepts\": 1." + "7".repeat(1_500) + "}";
        assertErrorShape(server.post("/v1/recall", key, longFraction), 400, "fraction of 1500 digits");
        final String longString = "{\"message\": \"" + "a".repeat(21_000_000) + "\"}";
        final TestServer.Reply r = server.post("/v1/recall", key, longString);
        assertErrorShape(r, 400, "string of 21M characters");
        assertEquals(200, server.get("/v1/health", null).status(), "the server must survive");
    }

    @Test
    void shouldAnswer404ForUnknownRoutesWithOrWithoutKey() {
        for (final String path :
                new String[] {"/v1/nope", "/nope", "/v1/memories/1/extra", "/v1/keysx", "/v2/recall"}) {
            assertErrorShape(server.get(path, null), 404, path + " without a key");
            assertErrorShape(server.get(path, key), 404, path + " with a key");
        }
        assertErrorShape(server.get("/v1/stats", null), 401, "a known route still needs a key");
        assertErrorShape(server.get("/v1/keys", key), 403, "an admin route still needs the admin key");
        assertErrorShape(server.post("/v1/admin/export", key, "{}"), 403, "export is admin-only");
    }

    @Test
    void shouldAnswer405WithAllowForWrongMethod() {
        final TestServer.Reply put = server.exchange("PUT", "/v1/recall", null, Map.of(), null);
        assertErrorShape(put, 405, "PUT /v1/recall");
        assertEquals(Set.of("POST"), methods(put.header("Allow")));
        final TestServer.Reply getLearn = server.get("/v1/learn", key);
        assertErrorShape(getLearn, 405, "GET /v1/learn");
        final TestServer.Reply patchKeys = server.exchange("PATCH", "/v1/keys", TestServer.ADMIN_KEY, Map.of(), null);
        assertErrorShape(patchKeys, 405, "PATCH /v1/keys");
        assertEquals(Set.of("GET", "POST"), methods(patchKeys.header("Allow")));
    }

    private static Set<String> methods(final String allow) {
        assertNotNull(allow, "Allow header");
        return Arrays.stream(allow.split(",")).map(String::strip).collect(Collectors.toCollection(TreeSet::new));
    }
}
