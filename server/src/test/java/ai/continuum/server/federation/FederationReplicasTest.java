package ai.continuum.server.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.server.TestServer;
import ai.continuum.server.config.ConfigKey;
import ai.continuum.server.federation.coordinator.CoordinatorServer;
import ai.continuum.server.fleet.FleetDatabase;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A deployment of two replicas on one PostgreSQL database is ONE federation node: it joins once, a sync on one
 * replica makes both serve the pulled pattern in recall, and the replicas take turns to sync under the lease in the
 * database, which a replica killed mid-sync holds no longer than its time to live.
 */
class FederationReplicasTest {
    private static final int LEASE_SECONDS = 5;
    /** How long the dead replica's lease still runs once the replicas have been refused. */
    private static final long LEASE_ENDING_MS = 300;

    @TempDir
    Path dir;

    private CoordinatorServer coordinator;
    private URI coordinatorUri;
    private FleetDatabase db;
    private final List<TestServer> servers = new ArrayList<>();

    @BeforeEach
    void start() {
        coordinator = CoordinatorServer.start(FederationTest.coordinatorSettings(dir.resolve("coordinator"), null));
        coordinatorUri = URI.create("http://127.0.0.1:" + coordinator.port());
        db = FleetDatabase.create();
    }

    @AfterEach
    void stop() {
        servers.forEach(TestServer::close);
        coordinator.close();
        db.close();
    }

    private TestServer server(final String name, final Path groupKey, final boolean replica) {
        final Map<ConfigKey, String> config = new EnumMap<>(ConfigKey.class);
        config.put(ConfigKey.FEDERATION_URL, coordinatorUri.toString());
        config.put(ConfigKey.FEDERATION_GROUP_KEY_FILE, groupKey.toString());
        config.put(ConfigKey.FEDERATION_SYNC_INTERVAL_SECONDS, "0");
        config.put(ConfigKey.FEDERATION_SYNC_LEASE_SECONDS, Integer.toString(LEASE_SECONDS));
        if (replica) {
            config.put(ConfigKey.STORAGE_BACKEND, "postgresql");
            config.put(ConfigKey.CONNECTION_STRING, db.url());
        }
        final TestServer server = TestServer.start(dir.resolve(name), config);
        servers.add(server);
        return server;
    }

    private TestServer.Reply join(final TestServer server, final String org) throws Exception {
        final String token = new RawNode(coordinatorUri, null).enrol(FederationTest.OPERATOR, org);
        return server.post("/v1/federation/join", TestServer.ADMIN_KEY, Map.of("enrolment_token", token));
    }

    private static JsonNode ready(final TestServer server) {
        return server.get("/v1/ready", null).json().path("federation");
    }

    private static TestServer.Reply sync(final TestServer server) {
        return server.post("/v1/federation/sync", TestServer.ADMIN_KEY, Map.of());
    }

    @Test
    void twoReplicasJoinOnceBothServeAPullFromEitherAndTakeTurnsToSync() throws Exception {
        final Path key = dir.resolve("group.key");
        Files.writeString(key, GroupKey.generate());
        final TestServer r0 = server("replica-0", key, true);
        final TestServer r1 = server("replica-1", key, true);
        final TestServer b = server("b", key, false);
        final TestServer c = server("c", key, false);

        final TestServer.Reply joined = join(r0, "org-fleet");
        assertEquals(201, joined.status(), joined.body());
        final String nodeId = joined.json().path("node_id").asText();
        await(() -> nodeId.equals(ready(r1).path("node_id").asText()), "the other replica is the same node");
        final TestServer.Reply again = join(r1, "org-fleet");
        assertEquals(409, again.status(), "the deployment joined once: " + again.body());
        assertEquals(201, join(b, "org-b").status());
        assertEquals(201, join(c, "org-c").status());

        final String keyB = b.createKey("default");
        final String keyC = c.createKey("default");
        FederationTest.learnPair(b, keyB, FederationTest.SHARED_A, FederationTest.SHARED_B, 2);
        FederationTest.learnPair(c, keyC, FederationTest.SHARED_A, FederationTest.SHARED_B, 2);
        assertEquals(200, sync(b).status());
        assertEquals(200, sync(c).status());

        final TestServer.Reply synced = sync(r0);
        assertEquals(200, synced.status(), synced.body());
        final int pulled = synced.json().path("federated_patterns").asInt();
        assertTrue(pulled >= 1, synced.body());
        final String fleetKey = r0.createKey("default");
        final String question = "What about " + FederationTest.SHARED_A + "?";
        await(
                () -> FederationChecks.hasFederatedPair(
                        FederationTest.recall(r1, fleetKey, question, true),
                        FederationTest.SHARED_A,
                        FederationTest.SHARED_B),
                "the replica that did not sync serves the pulled pair");
        assertTrue(
                FederationChecks.hasFederatedPair(
                        FederationTest.recall(r0, fleetKey, question, true),
                        FederationTest.SHARED_A,
                        FederationTest.SHARED_B),
                "and so does the one that synced");
        assertEquals(pulled, ready(r1).path("federated_patterns").asInt(), "the same set on both");

        // A replica killed mid-sync left the lease held: nobody syncs until it runs out, then either replica does.
        holdLease("dead-replica", System.currentTimeMillis() + LEASE_SECONDS * 1000L);
        for (final TestServer replica : List.of(r0, r1)) {
            final TestServer.Reply busy = sync(replica);
            assertEquals(409, busy.status(), busy.body());
            assertEquals("sync_in_progress", busy.json().path("error").asText());
        }
        // Rather than wait out LEASE_SECONDS, the row is rewritten to run out shortly: the replicas compare the
        // expiry the holder wrote with their own clock, so this is the same lease later in its life.
        final long expires = System.currentTimeMillis() + LEASE_ENDING_MS;
        holdLease("dead-replica", expires);
        await(() -> System.currentTimeMillis() > expires + 50, "the dead replica's lease runs out");
        final TestServer.Reply resumed = sync(r1);
        assertEquals(200, resumed.status(), "the lease expired, the other replica syncs: " + resumed.body());

        // Forgetting on b and c retracts the pair; a sync on r1 removes it from r0's recall as well.
        assertEquals(
                200,
                b.delete(FederationChecks.conceptPath(FederationTest.SHARED_A), keyB)
                        .status());
        assertEquals(200, sync(b).status());
        assertEquals(200, sync(r1).status());
        await(
                () -> !FederationChecks.hasFederatedPair(
                        FederationTest.recall(r0, fleetKey, question, true),
                        FederationTest.SHARED_A,
                        FederationTest.SHARED_B),
                "below k again: gone from the replica that did not sync");

        final TestServer.Reply left = r0.post("/v1/federation/leave", TestServer.ADMIN_KEY, Map.of());
        assertEquals(200, left.status(), left.body());
        await(() -> "not_joined".equals(ready(r1).path("status").asText()), "the deployment left as one node");
    }

    /** Writes the lease row as a replica that then died would have left it. */
    private void holdLease(final String holder, final long expiresAt) throws Exception {
        try (Connection connection = DriverManager.getConnection(db.url());
                PreparedStatement s = connection.prepareStatement(
                        "UPDATE federation_node SET lease_holder = ?, lease_expires_at = ? WHERE singleton = 1")) {
            s.setString(1, holder);
            s.setLong(2, expiresAt);
            assertEquals(1, s.executeUpdate());
        }
    }

    private static void await(final BooleanSupplier condition, final String what) throws InterruptedException {
        final long deadline = System.nanoTime() + 20_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 20 s: " + what);
            }
            Thread.sleep(20);
        }
    }
}
