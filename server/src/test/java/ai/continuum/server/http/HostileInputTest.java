package ai.continuum.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.server.OneRoutingPerClass;
import ai.continuum.server.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Malformed, oversized and hostile requests: every one gets a 4xx in the one error shape, never a 5xx. Request lines
 * and header blocks no client would send are {@link HttpSemanticsTest}'s, on a socket.
 */
class HostileInputTest extends OneRoutingPerClass {
    private static final List<String> POST_PATHS =
            List.of("/v1/learn", "/v1/recall", "/v1/turn", "/v1/memories", "/v1/memories/search", "/v1/keys");
    private static final List<String> BODIES = List.of(
            "",
            "{",
            "}",
            "[]",
            "null",
            "42",
            "\"text\"",
            "{\"user_message\":",
            "{\"a\":1}{\"b\":2}",
            "{\"user_message\": 1, \"ai_response\": true}",
            "{\"message\": []}",
            "{\"message\": {}}",
            "{\"message\": \"x\", \"max_concepts\": 0}",
            "{\"message\": \"x\", \"max_concepts\": 1e400}",
            "{\"message\": \"x\", \"max_concepts\": \"10\"}",
            "{\"message\": \"x\", \"max_memories\": -1}",
            "{\"message\": \"\\u0000\"}",
            "{\"message\": \"\\ud800\"}",
            "{\"message\": NaN}",
            "{\"message\": \"x\", \"message\": \"y\"}",
            "{\"content\": \"x\", \"metadata\": [1,2]}",
            "{\"user_message\": \"' OR 1=1 --\", \"ai_response\": \"'; DROP TABLE entities; --\", \"async\": \"yes\"}",
            "{\"keyword\": \"x\", \"start_date\": \"yesterday\"}",
            "{\"keyword\": \"x\", \"limit\": 100000}",
            "{\"tenant_id\": 5}",
            "\u00ff\u00fe garbage",
            "{\"user_message\": \"a\", \"ai_response\": \"b\", " + "\"session_id\": \"" + "s".repeat(300) + "\"}");

    static String key;

    @BeforeAll
    static void start() {
        key = server.createKey("fuzz");
    }

    /** Malformed JSON: every POST endpoint must answer 400. */
    private static final int MALFORMED = 9;

    private static void assertClientError(final TestServer.Reply r, final String what) {
        assertTrue(r.status() >= 400 && r.status() < 500, what + " -> " + r.status() + " " + r.body());
        assertNotNull(r.json(), what + " must answer JSON: " + r.body());
        assertNotNull(r.json().get("error"), what);
        assertNotNull(r.json().get("message"), what);
        assertTrue(!r.body().contains("Exception") && !r.body().contains("\tat "), what + " leaks internals");
    }

    /** Any status below 500; a 4xx must be in the error shape. Unknown or absent optional fields may be a 200. */
    private static void assertNoServerError(final TestServer.Reply r, final String what) {
        assertTrue(r.status() < 500, what + " -> " + r.status() + " " + r.body());
        if (r.status() >= 400) {
            assertClientError(r, what);
        }
    }

    @Test
    void shouldAnswerClientErrorForEveryMalformedBody() {
        for (final String path : POST_PATHS) {
            final String auth = path.equals("/v1/keys") ? TestServer.ADMIN_KEY : key;
            for (int i = 0; i < BODIES.size(); i++) {
                final TestServer.Reply r = server.post(path, auth, BODIES.get(i));
                if (i < MALFORMED) {
                    assertEquals(400, r.status(), path + " " + BODIES.get(i) + ": " + r.body());
                }
                assertNoServerError(r, path + " " + BODIES.get(i));
            }
        }
    }

    @Test
    void shouldAnswer413ForTwoMegabyteBody() {
        final String big = "{\"message\": \"" + "A".repeat(2 * 1024 * 1024) + "\"}";
        final TestServer.Reply r = server.post("/v1/recall", key, big);
        assertEquals(413, r.status(), r.body());
        assertEquals("payload_too_large", r.json().get("error").asText());
        assertEquals(200, server.get("/v1/health", null).status(), "the server must survive");
    }

    @Test
    void shouldLearnAndRecallNearLimitBody() {
        final StringBuilder text = new StringBuilder();
        for (int i = 0; text.length() < 900_000; i++) {
            text.append("Topic")
                    .append(Integer.toString(i, 26).replace('0', 'q'))
                    .append(" Alpha \"quoted ")
                    .append(i)
                    .append("\" CamelCase")
                    .append(i % 97)
                    .append(' ');
        }
        final TestServer.Reply learned = server.post(
                "/v1/learn",
                key,
                Map.of("user_message", text.toString(), "ai_response", "I will remember this long message."));
        assertEquals(200, learned.status(), learned.body());
        final TestServer.Reply recalled = server.post("/v1/recall", key, Map.of("message", text.substring(0, 5000)));
        assertEquals(200, recalled.status());
    }

    @Test
    void shouldAnswer415ForNonJsonContentType() {
        final TestServer.Reply r = server.exchange(
                "POST", "/v1/recall", key, Map.of("Content-Type", "text/plain"), utf8("{\"message\":\"x\"}"));
        assertEquals(415, r.status(), r.body());
    }

    @Test
    void shouldTreatHostileStringsAsPlainText() {
        final String[] texts = {
            "' OR 1=1 --",
            "../../etc/passwd",
            "Robert'); DROP TABLE messages;--",
            "Ünïcödé Ĉoncept 日本語 Tokyo Tower 🚀 Rocket Science",
            "%_%\\%",
            "<script>alert(1)</script>"
        };
        for (final String text : texts) {
            final TestServer.Reply learned =
                    server.post("/v1/learn", key, Map.of("user_message", text, "ai_response", text + " Indeed"));
            assertEquals(200, learned.status(), text + ": " + learned.body());
            final TestServer.Reply recalled = server.post("/v1/recall", key, Map.of("message", text));
            assertEquals(200, recalled.status(), text + ": " + recalled.body());
            final TestServer.Reply searched = server.post("/v1/memories/search", key, Map.of("keyword", text));
            assertEquals(200, searched.status(), text + ": " + searched.body());
            assertTrue(searched.json().get("total").asLong() >= 1, text + ": " + searched.body());
        }
        assertTrue(server.get("/v1/stats", key).json().get("messages").asLong() >= texts.length);
    }

    @Test
    void shouldAnswerClientErrorForHostilePathsAndParams() {
        final String[] paths = {
            "/v1/memories/abc",
            "/v1/memories/-1",
            "/v1/memories/99999999999999999999",
            "/v1/memories/..%2F..%2Fetc%2Fpasswd",
            "/v1/concepts/%27%20OR%201%3D1%20--",
            "/v1/concepts/%00",
            "/v1/memories?limit=0",
            "/v1/memories?limit=abc",
            "/v1/memories?offset=-5",
            "/v1/concepts?limit=5000",
            "/v1/concepts?entity_type=../../x",
            "/v1/../etc/passwd",
            "/v1/concepts/..%2F..",
            "/etc/passwd",
            "/v1/concepts/" + "x".repeat(3000)
        };
        for (final String path : paths) {
            assertClientError(server.get(path, key), path);
        }
        final TestServer.Reply dotted = server.get("/v1/keys/../stats", key);
        assertNoServerError(dotted, "/v1/keys/../stats");
        assertTrue(dotted.json().get("keys") == null, "a tenant key must never reach the key list");
        assertClientError(server.delete("/v1/keys/not-hex", TestServer.ADMIN_KEY), "bad key id");
        for (final String method : new String[] {"OPTIONS", "PUT", "PATCH", "TRACE"}) {
            assertClientError(server.exchange(method, "/v1/recall", key, Map.of(), null), method);
        }
        assertClientError(
                server.exchange(
                        "OPTIONS",
                        "/v1/recall",
                        null,
                        Map.of("Origin", "https://x.example", "Access-Control-Request-Method", "POST"),
                        null),
                "preflight without CORS configured");
    }

    @Test
    void shouldAnswerClientErrorForHostileHeaders() {
        final TestServer.Reply r = server.exchange(
                "POST",
                "/v1/recall",
                "x".repeat(5000),
                Map.of("Content-Type", "application/json"),
                utf8("{\"message\":\"x\"}"));
        assertEquals(401, r.status());
        final TestServer.Reply badLength = server.exchange(
                "POST",
                "/v1/recall",
                key,
                Map.of("Content-Type", "application/json; charset=utf-8"),
                utf8("{\"message\":\"Tokyo Tower\"}"));
        assertEquals(200, badLength.status(), badLength.body());
    }

    private static byte[] utf8(final String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
