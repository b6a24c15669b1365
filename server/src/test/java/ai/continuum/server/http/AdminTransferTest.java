package ai.continuum.server.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.server.DirectServer;
import ai.continuum.server.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webclient.http1.Http1ClientResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin export and import endpoints, end to end between two services through their real routing (no socket: what
 * is tested is the handlers' bodies, content types and answers, not the listener).
 */
class AdminTransferTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void anExportFromOneServerImportsLiveIntoAnotherAndOnlyOnce() throws Exception {
        try (DirectServer source = DirectServer.start(dir.resolve("source"));
                DirectServer target = DirectServer.start(dir.resolve("target"))) {
            final String key = source.createKey("acme");
            assertEquals(
                    200,
                    source.post(
                                    "/v1/learn",
                                    key,
                                    Map.of(
                                            "user_message",
                                            "Our Billing Service talks to Stripe through the Payment Gateway",
                                            "ai_response",
                                            "Noted: the Billing Service uses the Payment Gateway for Stripe."))
                            .status());

            assertEquals(403, source.post("/v1/admin/export", key, "").status(), "tenant keys cannot export");
            assertEquals(
                    400,
                    source.post("/v1/admin/export?include_memories=perhaps", TestServer.ADMIN_KEY, "")
                            .status());
            final byte[] document;
            try (Http1ClientResponse exported = source.request(
                            Method.POST, "/v1/admin/export?compress=true&include_memories=true", TestServer.ADMIN_KEY)
                    .submit(new byte[0])) {
                assertEquals(200, exported.status().code());
                assertEquals(
                        "application/gzip",
                        exported.headers().get(HeaderNames.CONTENT_TYPE).get());
                assertTrue(exported.headers()
                        .get(HeaderNames.CONTENT_DISPOSITION)
                        .get()
                        .contains(".json.gz"));
                document = exported.as(byte[].class);
            }
            assertArrayEquals(new byte[] {0x1f, (byte) 0x8b}, java.util.Arrays.copyOf(document, 2));
            final String text = new String(
                    new GZIPInputStream(new java.io.ByteArrayInputStream(document)).readAllBytes(),
                    java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(text.contains("\"tenant_count\" : 1"), text);

            final String targetKey = target.createKey("acme");
            final TestServer.Reply first = importBody(target, "/v1/admin/import", document);
            assertEquals(200, first.status(), first.body());
            final JsonNode tenant = first.json().get("tenants").get(0);
            assertTrue(tenant.get("applied").asBoolean(), first.body());
            final TestServer.Reply recall =
                    target.post("/v1/recall", targetKey, Map.of("message", "what does the billing service use?"));
            assertTrue(
                    recall.json().get("concepts_found").asInt() >= 1,
                    "the live engine has the import: " + recall.body());
            assertFalse(recall.json().get("memories").isEmpty(), recall.body());

            final TestServer.Reply again = importBody(target, "/v1/admin/import", document);
            assertEquals(200, again.status());
            assertFalse(again.json().get("tenants").get(0).get("applied").asBoolean(), again.body());

            final TestServer.Reply cut = importBody(
                    target, "/v1/admin/import?mode=replace", java.util.Arrays.copyOf(document, document.length - 30));
            assertEquals(400, cut.status(), cut.body());
            assertTrue(cut.json().get("message").asText().contains("truncated"), cut.body());
            assertFalse(cut.body().contains(dir.toString()), "no server paths in errors");
            assertEquals(
                    400,
                    importBody(target, "/v1/admin/import?mode=upsert", document).status());
            assertEquals(
                    400,
                    importBody(target, "/v1/admin/import?tenant=bad%20name", document)
                            .status());
            assertEquals(
                    400,
                    importBody(target, "/v1/admin/import", "{\"format\":\"x\"}".getBytes(StandardCharsets.UTF_8))
                            .status());
            assertEquals(
                    403,
                    target.exchange("POST", "/v1/admin/import", targetKey, Map.of(), document)
                            .status());
            final TestServer.Reply stats = target.get("/v1/stats", targetKey);
            assertEquals(1, stats.json().get("messages").asInt(), "rejected imports changed nothing: " + stats.body());
        }
    }

    @Test
    void aForgedContinuityHeadIsRefusedNotSkipped() throws Exception {
        try (DirectServer server = DirectServer.start(dir.resolve("server"))) {
            final String key = server.createKey("acme");
            final Map<String, String> turn = Map.of(
                    "user_message",
                    "The Billing Service talks to Stripe",
                    "ai_response",
                    "Noted: Billing uses Stripe.");
            assertEquals(200, server.post("/v1/learn", key, turn).status());
            final TestServer.Reply exported =
                    server.post("/v1/admin/export?include_memories=true", TestServer.ADMIN_KEY, "");
            assertEquals(200, exported.status(), exported.body());
            assertEquals(
                    200,
                    server.post(
                                    "/v1/learn",
                                    key,
                                    Map.of("user_message", "Redis caches sessions", "ai_response", "Noted."))
                            .status());

            final TestServer.Reply genuine =
                    importBody(server, "/v1/admin/import", exported.body().getBytes(StandardCharsets.UTF_8));
            assertEquals(200, genuine.status(), genuine.body());
            assertFalse(genuine.json().get("tenants").get(0).get("applied").asBoolean(), genuine.body());

            final ObjectNode doc = (ObjectNode) exported.json();
            final ObjectNode acme = (ObjectNode) doc.get("tenants").get(0);
            ((ObjectNode) acme.get("memories").get(0)).put("userText", "The Billing Service talks to PayPal");
            ((ObjectNode) acme.get("summary")).remove("sha256");
            final TestServer.Reply forged = importBody(server, "/v1/admin/import", JSON.writeValueAsBytes(doc));
            assertEquals(409, forged.status(), forged.body());
            assertEquals("continuity_unverified", forged.json().get("error").asText(), forged.body());
            final TestServer.Reply stats = server.get("/v1/stats", key);
            assertEquals(2, stats.json().get("messages").asInt(), "nothing was imported: " + stats.body());
        }
    }

    private static TestServer.Reply importBody(final DirectServer server, final String path, final byte[] body) {
        return server.exchange("POST", path, TestServer.ADMIN_KEY, Map.of("Content-Type", "application/gzip"), body);
    }
}
