package ai.continuum.server.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.server.TestServer;
import ai.continuum.server.config.ConfigKey;
import ai.continuum.server.federation.coordinator.CoordinatorServer;
import ai.continuum.server.federation.coordinator.CoordinatorSettings;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Federation in one JVM over loopback: a real coordinator and three real services (each its own SQLite database),
 * driven through their HTTP APIs. The multi-process proof over network namespaces and TLS is FederationIT.
 */
// Real socket: federation nodes call each other over HTTP, so the wire between them is the subject.
class FederationTest {
    static final String OPERATOR = "operator-token-0123456789abcdef";
    static final String SHARED_A = "Kafka Streams";
    static final String SHARED_B = "Event Sourcing";
    static final String ONLY_A = "Lighthouse Keeper";
    static final String ONLY_B = "Harbor Master";

    @TempDir
    Path dir;

    private CoordinatorServer coordinator;
    private final List<TestServer> nodes = new ArrayList<>();
    private URI coordinatorUri;

    @BeforeEach
    void startCoordinator() {
        coordinator = CoordinatorServer.start(coordinatorSettings(dir.resolve("coordinator"), coordinatorDatabase()));
        coordinatorUri = URI.create("http://127.0.0.1:" + coordinator.port());
    }

    /** A plain-HTTP coordinator on a free loopback port with k = 2 ({@code database} null: SQLite in dataDir). */
    static CoordinatorSettings coordinatorSettings(final Path dataDir, final String database) {
        return new CoordinatorSettings("127.0.0.1", 0, dataDir, 2, 300, Map.of(), null, null, 0, OPERATOR, database);
    }

    /** The coordinator's connection string; null keeps its database in SQLite. */
    String coordinatorDatabase() {
        return null;
    }

    /** Fails when any of {@code names} is in what the coordinator stored. */
    void assertCoordinatorHoldsNone(final List<String> names) throws Exception {
        FederationChecks.assertNoNameIn(dir.resolve("coordinator"), names);
    }

    @AfterEach
    void stop() {
        nodes.forEach(TestServer::close);
        coordinator.close();
    }

    private TestServer node(final String name, final Path keyFile) throws Exception {
        final Map<ConfigKey, String> config = new EnumMap<>(ConfigKey.class);
        config.put(ConfigKey.FEDERATION_URL, coordinatorUri.toString());
        config.put(ConfigKey.FEDERATION_GROUP_KEY_FILE, keyFile.toString());
        config.put(ConfigKey.FEDERATION_SYNC_INTERVAL_SECONDS, "0");
        config.put(ConfigKey.FEDERATION_DP_EPSILON, "0.5");
        final TestServer server = TestServer.start(dir.resolve(name), config);
        nodes.add(server);
        final String token = new RawNode(coordinatorUri, null).enrol(OPERATOR, "org-" + name);
        final TestServer.Reply joined =
                server.post("/v1/federation/join", TestServer.ADMIN_KEY, Map.of("enrolment_token", token));
        assertEquals(201, joined.status(), joined.body());
        return server;
    }

    private Path groupKey() throws IOException {
        final Path file = dir.resolve("group.key");
        if (!Files.exists(file)) {
            Files.writeString(file, GroupKey.generate());
        }
        return file;
    }

    static void learnPair(final TestServer node, final String key, final String a, final String b, final int times) {
        for (int i = 0; i < times; i++) {
            final TestServer.Reply r = node.post(
                    "/v1/learn",
                    key,
                    Map.of("user_message", "We paired " + a + " with " + b + " again", "ai_response", "Noted."));
            assertEquals(200, r.status(), r.body());
        }
    }

    static JsonNode sync(final TestServer node) {
        final TestServer.Reply r = node.post("/v1/federation/sync", TestServer.ADMIN_KEY, Map.of());
        assertEquals(200, r.status(), r.body());
        return r.json();
    }

    static JsonNode recall(final TestServer node, final String key, final String message, final Boolean federated) {
        final Map<String, Object> body = new java.util.HashMap<>();
        body.put("message", message);
        if (federated != null) {
            body.put("include_federated", federated);
        }
        final TestServer.Reply r = node.post("/v1/recall", key, body);
        assertEquals(200, r.status(), r.body());
        return r.json();
    }

    @Test
    void aPairTwoOrganisationsLearnedReachesTheThirdMarkedFederatedAndForgetCascades() throws Exception {
        final Path key = groupKey();
        final TestServer a = node("a", key);
        final TestServer b = node("b", key);
        final TestServer c = node("c", key);
        final String keyA = a.createKey("default");
        final String keyB = b.createKey("default");
        final String keyC = c.createKey("default");
        learnPair(a, keyA, SHARED_A, SHARED_B, 2);
        learnPair(a, keyA, ONLY_A, ONLY_B, 2);
        learnPair(b, keyB, SHARED_A, SHARED_B, 2);
        assertTrue(sync(a).path("contributed").asInt() >= 2);
        assertTrue(sync(b).path("contributed").asInt() >= 1);
        final JsonNode cSync = sync(c);
        assertEquals("success", cSync.path("status").asText());

        final JsonNode shared = recall(c, keyC, "What about " + SHARED_A + "?", null);
        assertTrue(FederationChecks.hasFederatedPair(shared, SHARED_A, SHARED_B), shared.toString());
        assertTrue(
                shared.path("context").asText().contains("Federated patterns (source: federated"), shared.toString());
        assertEquals(0, shared.path("concepts_found").asInt(), "C's own knowledge is untouched: " + shared);
        assertFalse(
                FederationChecks.hasFederatedPair(
                        recall(c, keyC, "What about " + SHARED_A + "?", false), SHARED_A, SHARED_B),
                "include_federated=false leaves them out");
        final JsonNode onlyA = recall(c, keyC, "What about " + ONLY_A + "?", true);
        assertFalse(
                FederationChecks.hasFederatedPair(onlyA, ONLY_A, ONLY_B),
                "k=2: a pair only A learned stays private: " + onlyA);
        assertEquals(0, c.get("/v1/stats", keyC).json().path("concepts").asLong(), "pulled patterns change no count");

        assertCoordinatorHoldsNone(List.of(SHARED_A, SHARED_B, ONLY_A, ONLY_B));

        final String ready = c.get("/v1/ready", null).body();
        assertTrue(ready.contains("\"status\":\"joined\""), ready);
        final String metrics = c.get("/metrics", null).body();
        assertTrue(metrics.contains("continuum_federation_sync_lag_seconds{node_id=\"node-"), metrics);
        assertTrue(metrics.contains("continuum_federation_pulls_total"), metrics);

        final TestServer.Reply forgot = a.delete(FederationChecks.conceptPath(SHARED_A), keyA);
        assertEquals(200, forgot.status(), forgot.body());
        assertTrue(sync(a).path("retracted").asInt() >= 1, "A retracts its contributions of the forgotten concept");
        sync(c);
        assertFalse(
                FederationChecks.hasFederatedPair(
                        recall(c, keyC, "What about " + SHARED_A + "?", true), SHARED_A, SHARED_B),
                "below k again: gone from C after its next sync");

        final TestServer.Reply left = b.post("/v1/federation/leave", TestServer.ADMIN_KEY, Map.of());
        assertEquals(200, left.status(), left.body());
        assertTrue(b.get("/v1/ready", null).body().contains("\"status\":\"not_joined\""));
    }

    @Test
    void theGateDeniesAFreeRiderWithTheDeficitAndAllowsItAgainOnceItContributes() throws Exception {
        final RawNode node = new RawNode(coordinatorUri, null);
        assertEquals(201, node.join(node.enrol(OPERATOR, "org-d")).status());
        final String keyId = GroupKey.parse(GroupKey.generate()).keyId();
        for (int i = 0; i < 10; i++) {
            assertEquals(
                    200,
                    node.call("POST", "/federation/knowledge", Map.of("key_id", keyId))
                            .status());
        }
        final RawNode.Reply denied = node.call("POST", "/federation/knowledge", Map.of("key_id", keyId));
        assertEquals(403, denied.status(), denied.json().toString());
        assertEquals("insufficient_contribution", denied.json().path("error").asText());
        assertEquals(
                "Can't use it unless you add to it",
                denied.json().path("message").asText());
        assertEquals(1.0, denied.json().path("deficit").asDouble(), 1e-9);
        assertEquals(0.1, denied.json().path("minimum_required").asDouble(), 1e-9);
        assertEquals(0.0, denied.json().path("contribution_ratio").asDouble(), 1e-9);
        final RawNode.Reply status = node.call("GET", "/federation/status", null);
        assertEquals("blocked", status.json().path("tier").asText());
        assertFalse(status.json().path("allowed").asBoolean());

        final byte[] id = new byte[32];
        new java.security.SecureRandom().nextBytes(id);
        final RawNode.Reply contributed = node.call(
                "POST",
                "/federation/contribute",
                Map.of(
                        "key_id",
                        keyId,
                        "patterns",
                        List.of(Map.of(
                                "pattern_id",
                                HexFormat.of().formatHex(id),
                                "sealed",
                                Base64.getEncoder().encodeToString(new byte[64]),
                                "weight",
                                2.5))));
        assertEquals(200, contributed.status(), contributed.json().toString());
        assertEquals(1, contributed.json().path("new_patterns").asInt());
        assertEquals(
                200,
                node.call("POST", "/federation/knowledge", Map.of("key_id", keyId))
                        .status());
    }

    @Test
    void tamperedReplayedUnknownStaleAndRevokedRequestsAreRejected() throws Exception {
        final RawNode node = new RawNode(coordinatorUri, null);
        node.join(node.enrol(OPERATOR, "org-e"));
        final RawNode.Signed request = node.sign("GET", "/federation/status", null);
        final RawNode.Signed tampered = node.sign(
                        "POST", "/federation/contribute", Map.of("key_id", "0123456789abcdef"))
                .withBody("{\"key_id\":\"fedcba9876543210\"}");
        assertEquals("bad_signature", node.send(tampered).json().path("error").asText());
        assertEquals(200, node.send(request).status());
        final RawNode.Reply replay = node.send(request);
        assertEquals(401, replay.status());
        assertEquals("replayed_request", replay.json().path("error").asText());
        final RawNode.Reply unknown =
                node.send(node.sign("GET", "/federation/status", null).withNode("node-unknown"));
        assertEquals(401, unknown.status());
        assertEquals("unknown_node", unknown.json().path("error").asText());
        final RawNode.Reply stale =
                node.send(node.sign("GET", "/federation/status", null, System.currentTimeMillis() / 1000 - 3600));
        assertEquals("stale_request", stale.json().path("error").asText());
        final RawNode.Reply unsigned = node.send("GET", "/federation/status", null, new byte[0]);
        assertEquals(401, unsigned.status());
        assertEquals(
                422,
                node.send(
                                "POST",
                                "/federation/join",
                                null,
                                "{\"enrolment_token\":\"cfe_x\",\"public_key\":\"x\"}".getBytes(StandardCharsets.UTF_8))
                        .status(),
                "a malformed public key joins nothing");
        final RawNode stranger = new RawNode(coordinatorUri, null);
        final RawNode.Reply badToken = stranger.join("cfe_not-a-token");
        assertEquals(401, badToken.status(), "an unknown enrolment token joins nothing");
        assertEquals("invalid_enrolment", badToken.json().path("error").asText());

        final RawNode.Reply revoked =
                node.send("POST", "/federation/admin/nodes/" + node.nodeId() + "/revoke", OPERATOR, new byte[0]);
        assertEquals(200, revoked.status(), revoked.json().toString());
        final RawNode.Reply after = node.call("GET", "/federation/status", null);
        assertEquals(403, after.status());
        assertEquals("node_revoked", after.json().path("error").asText());
        assertEquals(
                401,
                node.send("POST", "/federation/admin/nodes/" + node.nodeId() + "/revoke", "wrong-token", new byte[0])
                        .status());
    }
}
