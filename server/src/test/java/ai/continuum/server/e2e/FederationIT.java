package ai.continuum.server.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.server.FreePorts;
import ai.continuum.server.TestPki;
import ai.continuum.server.TestServer;
import ai.continuum.server.TestWords;
import ai.continuum.server.federation.FederationChecks;
import ai.continuum.server.federation.GroupKey;
import ai.continuum.server.federation.RawNode;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Federation across processes and hosts: a coordinator and three services (organisations A, B and C, each its own
 * SQLite database) as separate JVMs, each in its own network namespace with its own address ({@link
 * NetworkNamespaces}; loopback ports, announced on the output, where namespaces are unavailable), the nodes talking
 * to the coordinator over TLS (a CA the test makes; the coordinator's certificate names its address). Syncs are
 * driven through {@code /v1/federation/sync}, never by the background interval. Proves, in order: release at k=2
 * and the federated marking; the signature checks over the network (tampered, replayed, unknown, revoked); the
 * contribution gate's 403 and its lifting; a coordinator killed with SIGKILL during a multi-batch contribution loses
 * and doubles nothing, the sync resumes once it is back, and the sync lag rises meanwhile; forget cascades; and at
 * the end, the coordinator's files and log hold none of the names learned.
 */
class FederationIT {
    private static final String OPERATOR = "operator-token-0123456789abcdef";
    private static final String SHARED_A = "Kafka Streams";
    private static final String SHARED_B = "Event Sourcing";
    private static final String ONLY_A = "Lighthouse Keeper";
    private static final String ONLY_B = "Harbor Master";
    private static final List<String> C_OWN =
            List.of("Granite Quarry", "Copper Smelter", "Timber Sawmill", "Salt Marsh");
    /** Turns of 20 new concepts each on A (190 pairs a turn): several contribute batches of 500. */
    private static final int BULK_TURNS = 24;

    private static final int COORDINATOR_PORT_IN_NAMESPACE = 8421;
    /** Draws of a loopback port for the coordinator before giving up (another process may take each first). */
    private static final int PORT_ATTEMPTS = 3;

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final Pattern LAG = Pattern.compile("continuum_federation_sync_lag_seconds\\{[^}]*} ([0-9.eE+-]+)");

    @TempDir
    Path dir;

    private NetworkNamespaces net;
    private ServerProcess coordinator;
    private List<String> coordinatorCommand;
    private URI coordinatorUri;
    private RawNode operator;
    private javax.net.ssl.SSLContext trust;

    @Test
    // About a minute on a quiet machine; starting four JVMs took over 200 s on one loaded thirty-fold.
    @Timeout(value = 900, unit = TimeUnit.SECONDS)
    void federationAcrossProcessesNamespacesAndTlsSurvivesACoordinatorKill() throws Exception {
        final long started = System.nanoTime();
        net = NetworkNamespaces.create("coord", "a", "b", "c");
        final List<ServerProcess> nodes = new ArrayList<>();
        try {
            // One at a time: on a machine of two cores four JVMs starting at once each take longer than one alone.
            coordinator = setUpAndStartCoordinator();
            for (final String org : List.of("a", "b", "c")) {
                nodes.add(startNode(org));
            }
            final ServerProcess a = nodes.get(0);
            final ServerProcess b = nodes.get(1);
            final ServerProcess c = nodes.get(2);
            System.out.printf(
                    "FederationIT: %s, coordinator %s, nodes %s %s %s, started in %d ms%n",
                    net.isolated() ? "network namespaces" : "LOOPBACK FALLBACK",
                    coordinatorUri,
                    a.uri(""),
                    b.uri(""),
                    c.uri(""),
                    Duration.ofNanos(System.nanoTime() - started).toMillis());
            final String keyA = join(a, "org-a");
            final String keyB = join(b, "org-b");
            final String keyC = join(c, "org-c");

            releasesAtKAndMarksFederated(a, b, c, keyA, keyB, keyC);
            rejectsTamperedReplayedUnknownAndRevokedRequests();
            gatesAFreeRiderUntilItContributes(c, keyC);
            aKilledCoordinatorLosesAndDoublesNothing(a, keyA);
            forgetCascades(a, c, keyA, keyC);

            final List<String> names = new ArrayList<>(List.of(SHARED_A, SHARED_B, ONLY_A, ONLY_B));
            names.addAll(C_OWN);
            for (int i = 0; i < BULK_TURNS * 20; i++) {
                names.add(bulkName(i));
            }
            FederationChecks.assertNoNameIn(dir.resolve("coordinator"), names);
            assertTrue(Files.size(dir.resolve("coordinator.log")) > 0, "the coordinator logged");
            FederationChecks.assertNoNameIn(dir.resolve("coordinator.log"), names);
            System.out.printf(
                    "FederationIT: done in %d ms (%s)%n",
                    Duration.ofNanos(System.nanoTime() - started).toMillis(),
                    net.isolated() ? "network namespaces" : "loopback fallback");
        } finally {
            for (final ServerProcess node : nodes) {
                node.close();
            }
            if (coordinator != null) {
                coordinator.close();
            }
            net.close();
        }
    }

    /**
     * Sets the coordinator up and starts it; on loopback, where the port is drawn before the coordinator binds it,
     * again on another port when some other process took that one first (the nodes, started after, learn the port).
     */
    private ServerProcess setUpAndStartCoordinator() throws IOException {
        for (int attempt = 1; ; attempt++) {
            setUpCoordinator();
            try {
                return startCoordinator();
            } catch (final RuntimeException e) {
                if (net.isolated() || attempt == PORT_ATTEMPTS || !FreePorts.listening(coordinatorUri.getPort())) {
                    throw e;
                }
            }
        }
    }

    /** The CA, the coordinator's certificate for its address, its key store, and the files the nodes read. */
    private void setUpCoordinator() throws IOException {
        final String host = net.address("coord");
        final int port = net.isolated() ? COORDINATOR_PORT_IN_NAMESPACE : FreePorts.loopback();
        final TestPki.Issued ca = TestPki.ca("federation-it-ca");
        ca.writeCertificate(dir.resolve("ca.pem"));
        TestPki.server(ca, "coordinator", List.of(host)).writePkcs12(dir.resolve("coordinator.p12"), "changeit");
        Files.writeString(dir.resolve("keystore-password"), "changeit");
        Files.writeString(dir.resolve("operator-token"), OPERATOR);
        Files.writeString(dir.resolve("group.key"), GroupKey.generate());
        coordinatorUri = URI.create("https://" + host + ":" + port);
        trust = TestPki.trusting(ca);
        operator = new RawNode(coordinatorUri, trust);
        coordinatorCommand = List.of(
                "federation",
                "coordinator",
                "--host",
                host,
                "--port",
                Integer.toString(port),
                "--data-dir",
                dir.resolve("coordinator").toString(),
                "--tls-keystore",
                dir.resolve("coordinator.p12").toString(),
                "--tls-password-file",
                dir.resolve("keystore-password").toString(),
                "--operator-token-file",
                dir.resolve("operator-token").toString(),
                // The gate is what this test drives to its limit, not the hourly sync count.
                "--syncs-per-hour",
                "1000");
    }

    private ServerProcess startCoordinator() {
        return ServerProcess.launch(
                net.prefix("coord"),
                net.address("coord"),
                coordinatorCommand,
                dir.resolve("coordinator.log"),
                Map.of());
    }

    private ServerProcess startNode(final String org) {
        return ServerProcess.serve(
                net.prefix(org),
                net.address(org),
                dir.resolve(org),
                dir.resolve(org + ".log"),
                Map.of(
                        "CONTINUUM_FEDERATION_URL", coordinatorUri.toString(),
                        "CONTINUUM_FEDERATION_GROUP_KEY_FILE",
                                dir.resolve("group.key").toString(),
                        "CONTINUUM_FEDERATION_CA_FILE", dir.resolve("ca.pem").toString(),
                        "CONTINUUM_FEDERATION_SYNC_INTERVAL_SECONDS", "0"));
    }

    /** Joins the node with an enrolment the operator minted for {@code org}; returns an API key of its tenant. */
    private String join(final ServerProcess node, final String org) throws Exception {
        final String token = operator.enrol(OPERATOR, org);
        final TestServer.Reply joined =
                node.post("/v1/federation/join", ServerProcess.ADMIN_KEY, Map.of("enrolment_token", token));
        assertEquals(201, joined.status(), "join over TLS: " + joined.body() + "\n" + ServerProcess.tail(node.log()));
        return node.createKey("default");
    }

    private void releasesAtKAndMarksFederated(
            final ServerProcess a,
            final ServerProcess b,
            final ServerProcess c,
            final String keyA,
            final String keyB,
            final String keyC)
            throws Exception {
        learn(a, keyA, "We paired " + SHARED_A + " with " + SHARED_B + " again", 2);
        learn(a, keyA, "We paired " + ONLY_A + " with " + ONLY_B + " again", 2);
        learn(b, keyB, "We paired " + SHARED_A + " with " + SHARED_B + " again", 2);
        assertTrue(sync(a).path("contributed").asInt() >= 2);
        assertTrue(sync(b).path("contributed").asInt() >= 1);
        assertEquals("success", sync(c).path("status").asText());
        final JsonNode shared = recall(c, keyC, SHARED_A);
        assertTrue(FederationChecks.hasFederatedPair(shared, SHARED_A, SHARED_B), "A and B: released to C " + shared);
        assertTrue(
                shared.path("context").asText().contains("Federated patterns (source: federated"), shared.toString());
        assertEquals(0, shared.path("concepts_found").asInt(), "C's own knowledge is untouched: " + shared);
        final JsonNode onlyA = recall(c, keyC, ONLY_A);
        assertFalse(FederationChecks.hasFederatedPair(onlyA, ONLY_A, ONLY_B), "k=2: only A learned it: " + onlyA);
    }

    private void rejectsTamperedReplayedUnknownAndRevokedRequests() throws Exception {
        final RawNode node = new RawNode(coordinatorUri, trust);
        assertEquals(201, node.join(node.enrol(OPERATOR, "org-probe")).status());
        final RawNode.Signed tampered = node.sign(
                        "POST", "/federation/contribute", Map.of("key_id", "0123456789abcdef"))
                .withBody("{\"key_id\":\"fedcba9876543210\"}");
        assertRejected(node.send(tampered), 401, "bad_signature");
        final RawNode.Signed status = node.sign("GET", "/federation/status", null);
        assertEquals(200, node.send(status).status(), "the signed original passes");
        assertRejected(node.send(status), 401, "replayed_request");
        assertRejected(
                node.send(node.sign("GET", "/federation/status", null).withNode("node-00000000000000000000")),
                401,
                "unknown_node");
        final RawNode.Reply revoked =
                node.send("POST", "/federation/admin/nodes/" + node.nodeId() + "/revoke", OPERATOR, new byte[0]);
        assertEquals(200, revoked.status(), revoked.json().toString());
        assertRejected(node.call("GET", "/federation/status", null), 403, "node_revoked");
    }

    private static void assertRejected(final RawNode.Reply reply, final int status, final String error) {
        assertEquals(status, reply.status(), reply.json().toString());
        assertEquals(error, reply.json().path("error").asText(), reply.json().toString());
    }

    /** C consumed without contributing: its 11th pull is denied with the deficit, its own contribution lifts that. */
    private void gatesAFreeRiderUntilItContributes(final ServerProcess c, final String keyC) throws Exception {
        JsonNode report = null;
        int syncs = 1;
        while (syncs <= 10) {
            report = sync(c);
            syncs++;
            if (!"success".equals(report.path("status").asText())) {
                break;
            }
        }
        assertEquals(11, syncs, "10 free pulls, then denied: " + report);
        assertEquals("denied", report.path("status").asText(), report.toString());
        final JsonNode denial = report.path("denial");
        assertEquals("insufficient_contribution", denial.path("error").asText(), denial.toString());
        assertEquals("Can't use it unless you add to it", denial.path("message").asText());
        assertEquals(1.0, denial.path("deficit").asDouble(), 1e-9, denial.toString());
        assertEquals(0.1, denial.path("minimum_required").asDouble(), 1e-9);
        assertEquals(0.0, denial.path("contribution_ratio").asDouble(), 1e-9);
        final TestServer.Reply standing = c.get("/v1/federation/status", ServerProcess.ADMIN_KEY);
        assertEquals(
                "blocked",
                standing.json().path("coordinator_status").path("tier").asText(),
                standing.body());
        assertTrue(
                FederationChecks.hasFederatedPair(recall(c, keyC, SHARED_A), SHARED_A, SHARED_B),
                "a denied pull keeps what C had");

        learn(c, keyC, "Our sites: " + String.join(", ", C_OWN) + ".", 2);
        final JsonNode allowed = sync(c);
        assertEquals("success", allowed.path("status").asText(), "allowed again once it contributed: " + allowed);
        assertTrue(allowed.path("contributed").asInt() >= 3, allowed.toString());
    }

    /**
     * SIGKILL of the coordinator while A sends a contribution of several batches: the sync fails, the lag rises while
     * the coordinator is down, the next sync after its restart sends exactly what was not acknowledged, and the
     * coordinator ends with each of A's patterns once (credit and pattern count).
     */
    private void aKilledCoordinatorLosesAndDoublesNothing(final ServerProcess a, final String keyA) throws Exception {
        final int before = contributedAt(a);
        final long patternsBefore = stats().path("patterns").asLong();
        for (int turn = 0; turn < BULK_TURNS; turn++) {
            final List<String> names = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                names.add(bulkName(turn * 20 + i));
            }
            learn(a, keyA, String.join(", ", names), 2);
        }
        final CompletableFuture<TestServer.Reply> syncing = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                syncing.complete(a.post("/v1/federation/sync", ServerProcess.ADMIN_KEY, Map.of()));
            } catch (final Exception e) {
                syncing.completeExceptionally(e);
            }
        });
        final long end = System.nanoTime() + DEADLINE.toNanos();
        long seen = patternsBefore;
        while (seen == patternsBefore && !syncing.isDone()) {
            assertTrue(System.nanoTime() < end, "no batch of A's bulk contribution reached the coordinator in time");
            seen = stats().path("patterns").asLong();
        }
        coordinator.kill();
        final TestServer.Reply killed = syncing.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        assertEquals(
                503,
                killed.status(),
                "the kill must land during the sync (it finished first: make the contribution larger): "
                        + killed.body());
        assertEquals("coordinator_unreachable", killed.json().path("error").asText(), killed.body());
        final int acknowledged = contributedAt(a);

        final double lagDown = lag(a);
        final TestServer.Reply down = a.post("/v1/federation/sync", ServerProcess.ADMIN_KEY, Map.of());
        assertEquals(503, down.status(), "no coordinator: " + down.body());
        final long lagEnd = System.nanoTime() + DEADLINE.toNanos();
        double lagLater = lag(a);
        while (lagLater < lagDown + 1.0) {
            assertTrue(System.nanoTime() < lagEnd, "the sync lag did not rise while the coordinator was down");
            Thread.sleep(100);
            lagLater = lag(a);
        }

        coordinator = startCoordinator();
        final long patternsAfterKill = stats().path("patterns").asLong();
        assertTrue(
                patternsAfterKill > patternsBefore,
                "batches committed before the kill survive it: " + patternsAfterKill + " vs " + patternsBefore);
        final JsonNode resumed = sync(a);
        assertEquals("success", resumed.path("status").asText(), resumed.toString());
        final int after = contributedAt(a);
        final int bulk = after - before;
        assertTrue(bulk > 4 * 500, "the bulk needs several batches of 500, it has " + bulk + " pairs");
        assertTrue(
                patternsAfterKill < patternsBefore + bulk,
                "the kill cut the contribution short: " + patternsAfterKill + " of " + (patternsBefore + bulk));
        assertEquals(
                after - acknowledged, resumed.path("contributed").asInt(), "resumed with what was not acknowledged");
        assertTrue(lag(a) < lagLater, "the lag falls once a sync succeeds again");
        assertEquals(patternsBefore + bulk, stats().path("patterns").asLong(), "each of A's new patterns once");
        assertEquals(after, scoreOf(a), 1e-9, "A is credited once per pattern, however often a batch was sent");
        final JsonNode again = sync(a);
        assertEquals(0, again.path("contributed").asInt(), "nothing left to send: " + again);
        assertEquals(0, again.path("retracted").asInt(), again.toString());
    }

    private void forgetCascades(final ServerProcess a, final ServerProcess c, final String keyA, final String keyC)
            throws Exception {
        assertTrue(FederationChecks.hasFederatedPair(recall(c, keyC, SHARED_A), SHARED_A, SHARED_B));
        final TestServer.Reply forgot = a.delete(FederationChecks.conceptPath(SHARED_A), keyA);
        assertEquals(200, forgot.status(), forgot.body());
        assertTrue(sync(a).path("retracted").asInt() >= 1, "A retracts its contributions of the forgotten concept");
        assertEquals("success", sync(c).path("status").asText());
        assertFalse(
                FederationChecks.hasFederatedPair(recall(c, keyC, SHARED_A), SHARED_A, SHARED_B),
                "below k again: gone from C after its next sync");
    }

    private static String bulkName(final int i) {
        return "Vel" + TestWords.letters(i) + "Tarnish";
    }

    private static void learn(final ServerProcess node, final String key, final String text, final int times)
            throws Exception {
        for (int i = 0; i < times; i++) {
            final TestServer.Reply r =
                    node.post("/v1/learn", key, Map.of("user_message", text, "ai_response", "Noted."));
            assertEquals(200, r.status(), r.body());
        }
    }

    private static JsonNode sync(final ServerProcess node) throws Exception {
        final TestServer.Reply r = node.post("/v1/federation/sync", ServerProcess.ADMIN_KEY, Map.of());
        assertEquals(200, r.status(), "sync: " + r.body() + "\n" + ServerProcess.tail(node.log()));
        return r.json();
    }

    private static JsonNode recall(final ServerProcess node, final String key, final String about) throws Exception {
        final TestServer.Reply r =
                node.post("/v1/recall", key, Map.of("message", "What about " + about + "?", "include_federated", true));
        assertEquals(200, r.status(), r.body());
        return r.json();
    }

    private static int contributedAt(final ServerProcess node) throws Exception {
        return node.get("/v1/ready", null)
                .json()
                .path("federation")
                .path("contributed_patterns")
                .asInt();
    }

    private static double lag(final ServerProcess node) throws Exception {
        final Matcher m = LAG.matcher(node.get("/metrics", null).body());
        assertTrue(m.find(), "continuum_federation_sync_lag_seconds is on /metrics");
        return Double.parseDouble(m.group(1));
    }

    private JsonNode stats() throws Exception {
        final RawNode.Reply r = operator.send("GET", "/federation/admin/stats", OPERATOR, new byte[0]);
        assertEquals(200, r.status(), r.json().toString());
        return r.json();
    }

    /** The coordinator's contribution score of the node, from the operator's node list. */
    private double scoreOf(final ServerProcess node) throws Exception {
        final String id = node.get("/v1/ready", null)
                .json()
                .path("federation")
                .path("node_id")
                .asText();
        final RawNode.Reply r = operator.send("GET", "/federation/admin/nodes", OPERATOR, new byte[0]);
        for (final JsonNode n : r.json().path("nodes")) {
            if (id.equals(n.path("node_id").asText())) {
                return n.path("contribution_score").asDouble();
            }
        }
        throw new AssertionError("the coordinator does not list " + id + ": " + r.json());
    }
}
