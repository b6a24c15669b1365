package ai.continuum.server.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.server.OneRoutingPerClass;
import ai.continuum.server.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The /mcp transport's edges: what a confused or hostile client gets back (never a 500, never another tenant). */
class McpHttpTest extends OneRoutingPerClass {

    static String key;

    @BeforeAll
    static void start() {
        key = server.createKey("edges");
    }

    private static TestServer.Reply post(final String body, final String... headers) {
        final Map<String, String> sent = new LinkedHashMap<>();
        sent.put("Content-Type", "application/json");
        for (int i = 0; i < headers.length; i += 2) {
            sent.put(headers[i], headers[i + 1]);
        }
        return server.exchange("POST", "/mcp", key, sent, body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldAnswerProtocolErrorsInJsonRpc() {
        final TestServer.Reply notJson = post("{nope");
        assertEquals(400, notJson.status(), notJson.body());
        assertEquals(-32700, notJson.json().at("/error/code").asInt());

        assertEquals(-32600, post("\"hello\"").json().at("/error/code").asInt());
        assertEquals(-32600, post("[]").json().at("/error/code").asInt());
        assertEquals(
                -32601,
                post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"sampling/createMessage\"}")
                        .json()
                        .at("/error/code")
                        .asInt());
        final TestServer.Reply badArgs = post("{\"jsonrpc\":\"2.0\",\"id\":\"x\",\"method\":\"tools/call\","
                + "\"params\":{\"name\":\"recall\",\"arguments\":{\"message\":\"hi\",\"colour\":\"red\"}}}");
        assertEquals(200, badArgs.status());
        assertEquals(-32602, badArgs.json().at("/error/code").asInt());
        assertTrue(badArgs.json().at("/error/message").asText().contains("'colour'"), badArgs.body());
        assertEquals("x", badArgs.json().get("id").asText());

        final TestServer.Reply version =
                post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}", "MCP-Protocol-Version", "1999-01-01");
        assertEquals(400, version.status(), version.body());
    }

    @Test
    void shouldAnswerNotificationsWith202AndBatchesWithArrays() {
        assertEquals(
                202,
                post("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}")
                        .status());
        final TestServer.Reply batch = post("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"},"
                + "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"},"
                + "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}]");
        assertEquals(200, batch.status(), batch.body());
        assertEquals(2, batch.json().size(), batch.body());
        assertEquals(7, batch.json().get(1).at("/result/tools").size());
    }

    @Test
    void shouldRefuseWithoutKeyOtherMethodsMediaTypesAndForeignOrigins() {
        final TestServer.Reply noKey = server.post("/mcp", null, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}");
        assertEquals(401, noKey.status());
        assertEquals("unauthorized", noKey.json().get("error").asText());

        final TestServer.Reply get = server.get("/mcp", key);
        assertEquals(405, get.status(), get.body());
        assertEquals("POST", get.header("Allow"));
        assertEquals("method_not_allowed", get.json().get("error").asText());

        assertEquals(415, post("{}", "Content-Type", "text/plain").status());
        final TestServer.Reply origin =
                post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}", "Origin", "http://evil.example");
        assertEquals(403, origin.status(), origin.body());
    }
}
