package ai.continuum.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.server.OneRoutingPerClass;
import ai.continuum.server.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AuthAndIsolationTest extends OneRoutingPerClass {
    private static final List<String> DATA_GETS = List.of(
            "/v1/stats",
            "/v1/memories",
            "/v1/concepts",
            "/v1/entities",
            "/v1/continuity",
            "/v1/memories/1",
            "/v1/concepts/x");
    private static final List<String> DATA_POSTS =
            List.of("/v1/learn", "/v1/recall", "/v1/turn", "/v1/memories", "/v1/memories/search");

    static String keyA;
    static String keyB;
    static long memoryOfA;

    @BeforeAll
    static void start() {
        keyA = server.createKey("tenant-a");
        keyB = server.createKey("tenant-b");
        final TestServer.Reply learned = server.post(
                "/v1/learn",
                keyA,
                Map.of(
                        "user_message", "Project Nightingale uses Quantum Annealing for scheduling",
                        "ai_response", "Quantum Annealing suits Project Nightingale well."));
        assertEquals(200, learned.status(), learned.body());
        memoryOfA = learned.json().get("memory_id").asLong();
    }

    @Test
    void shouldRejectEveryDataEndpointWhenKeyIsMissingOrWrong() {
        for (final String key :
                new String[] {null, "", "cm_0000000000000000_" + "a".repeat(43), "garbage", "' OR 1=1 --"}) {
            for (final String path : DATA_GETS) {
                final TestServer.Reply r = server.get(path, key);
                assertEquals(401, r.status(), path + " with " + key + ": " + r.body());
                assertEquals("unauthorized", r.json().get("error").asText());
                assertNotNull(r.header("WWW-Authenticate"), path);
            }
            for (final String path : DATA_POSTS) {
                assertEquals(401, server.post(path, key, "{}").status(), path);
            }
        }
    }

    @Test
    void shouldAcceptBearerTokenAsWellAsHeader() {
        final TestServer.Reply r =
                server.exchange("GET", "/v1/stats", null, Map.of("Authorization", "Bearer " + keyA), null);
        assertEquals(200, r.status(), r.body());
        assertEquals("tenant-a", r.json().get("tenant_id").asText());
    }

    @Test
    void shouldNeverShowTenantAnythingOfAnotherTenant() {
        final String keyC = server.createKey("tenant-c");
        final JsonNode statsB = server.get("/v1/stats", keyC).json();
        assertEquals("tenant-c", statsB.get("tenant_id").asText());
        assertEquals(0, statsB.get("entities").asLong());
        assertEquals(0, statsB.get("messages").asLong());
        final JsonNode recallB = server.post("/v1/recall", keyC, Map.of("message", "Quantum Annealing"))
                .json();
        assertEquals(0, recallB.get("concepts_found").asInt(), recallB.toString());
        assertTrue(recallB.get("memories").isEmpty());
        assertEquals(0, server.get("/v1/memories", keyC).json().get("total").asLong());
        assertEquals(0, server.get("/v1/concepts", keyC).json().get("total").asLong());
        assertEquals(404, server.get("/v1/memories/" + memoryOfA, keyC).status());
        assertEquals(404, server.get("/v1/concepts/Quantum%20Annealing", keyC).status());
        assertEquals(404, server.delete("/v1/memories/" + memoryOfA, keyC).status());
        assertEquals(
                404, server.delete("/v1/concepts/Quantum%20Annealing", keyC).status());
        assertEquals(
                0,
                server.post("/v1/memories/search", keyC, Map.of("keyword", "Quantum"))
                        .json()
                        .get("total")
                        .asLong());

        assertEquals(200, server.get("/v1/memories/" + memoryOfA, keyA).status());
        assertEquals(200, server.get("/v1/concepts/quantum%20annealing", keyA).status());
        assertTrue(server.get("/v1/stats", keyA).json().get("entities").asLong() >= 2);
    }

    @Test
    void shouldIgnoreTenantNamedInRequest() {
        final TestServer.Reply r =
                server.exchange("GET", "/v1/stats?tenant_id=tenant-a", keyB, Map.of("X-Tenant-ID", "tenant-a"), null);
        assertEquals("tenant-b", r.json().get("tenant_id").asText());
        final TestServer.Reply learned = server.post(
                "/v1/learn",
                keyB,
                Map.of(
                        "user_message",
                        "Hello There Friend",
                        "ai_response",
                        "Greetings Programme",
                        "tenant_id",
                        "tenant-a"));
        assertEquals("tenant-b", learned.json().get("tenant_id").asText());
    }

    @Test
    void shouldStopRevokedKeyOnItsNextRequest() {
        final String key = server.createKey("tenant-r");
        assertEquals(200, server.get("/v1/stats", key).status());
        final String keyId = key.substring(3, 19);
        assertEquals(
                200, server.delete("/v1/keys/" + keyId, TestServer.ADMIN_KEY).status());
        assertEquals(401, server.get("/v1/stats", key).status());
        assertEquals(
                404,
                server.delete(
                                "/v1/keys/"
                                        + keyId.replace(keyId.charAt(0), 'z')
                                                .replace('z', 'f')
                                                .substring(0, 15) + "e",
                                TestServer.ADMIN_KEY)
                        .status());
    }

    @Test
    void shouldRefuseKeyManagementToTenantKeys() {
        assertEquals(
                403,
                server.post("/v1/keys", keyA, Map.of("tenant_id", "tenant-b")).status());
        assertEquals(403, server.get("/v1/keys", keyA).status());
        assertEquals(
                403, server.delete("/v1/keys/" + keyB.substring(3, 19), keyA).status());
        assertEquals(401, server.get("/v1/keys", null).status());
        assertEquals(200, server.get("/v1/stats", keyB).status(), "keyB must survive tenant A's attempt");
    }

    @Test
    void shouldNeverReachKeyManagementWithTenantKeyThroughPathSpellings() {
        for (final String path : new String[] {
            "/v1/keys/", "//v1/keys", "/v1//keys", "/v1/./keys", "/v1/%6Beys", "/v1/stats/../keys", "/v1/keys?x=1"
        }) {
            final TestServer.Reply r = server.get(path, keyA);
            assertTrue(r.status() >= 400 && r.status() < 500, path + " -> " + r.status() + " " + r.body());
            assertTrue(r.json() == null || r.json().get("keys") == null, path + " leaked the key list");
        }
    }

    @Test
    void shouldListTenantsForAdminOnly() {
        assertEquals(403, server.get("/v1/tenants", keyA).status());
        final TestServer.Reply r = server.get("/v1/tenants", TestServer.ADMIN_KEY);
        assertEquals(200, r.status(), r.body());
        assertTrue(r.body().contains("\"tenant_id\":\"tenant-a\""), r.body());
    }

    @Test
    void shouldListKeysWithoutSecretsForAdmin() {
        final TestServer.Reply r = server.get("/v1/keys", TestServer.ADMIN_KEY);
        assertEquals(200, r.status());
        assertTrue(r.json().get("total").asInt() >= 2);
        assertFalse(r.body().contains(keyA.substring(20)), "the secret must not be listed");
        assertFalse(r.body().contains("pbkdf2"), "the hash must not be listed");
    }

    @Test
    void shouldRejectInvalidTenantIdOnKeyCreation() {
        for (final String tenant : new String[] {"", "../../etc/passwd", "a b", "x".repeat(200), "' OR 1=1 --"}) {
            final TestServer.Reply r = server.post("/v1/keys", TestServer.ADMIN_KEY, Map.of("tenant_id", tenant));
            assertEquals(422, r.status(), tenant + ": " + r.body());
        }
    }

    @Test
    void shouldNotCountPublicEndpointsAgainstAuth() {
        assertEquals(200, server.get("/v1/health", null).status());
        assertEquals(200, server.get("/metrics", null).status());
    }
}
