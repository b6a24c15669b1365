package ai.continuum.server.federation.coordinator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.server.storage.PostgresSchema;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The coordinator's store on both of its databases: the same contract on SQLite and on PostgreSQL. */
class CoordinatorStoreTest {
    private static final String KEY_ID = "key-1";

    @TempDir
    Path dir;

    private final AtomicLong clock = new AtomicLong(1_000_000L);

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void releasesAPatternOnceTwoOrganisationsContributeItAndARetryChangesNothing(final String backend)
            throws Exception {
        try (PostgresSchema schema = backend.equals("postgresql") ? PostgresSchema.create() : null;
                CoordinatorStore store = open(schema == null ? null : schema.url())) {
            final CoordinatorStore.NodeRecord a = join(store, "org-a");
            final CoordinatorStore.NodeRecord b = join(store, "org-b");
            assertEquals(
                    1,
                    store.contribute(a, KEY_ID, List.of(pattern("p-shared"), pattern("p-only-a")), List.of())
                                    .newPatterns()
                            - 1);
            assertEquals(
                    1,
                    store.contribute(b, KEY_ID, List.of(pattern("p-shared")), List.of())
                            .newPatterns());

            final List<CoordinatorStore.Released> released = store.released(KEY_ID, 2, "", 10);
            assertEquals(1, released.size());
            assertEquals("p-shared", released.get(0).patternId());
            assertEquals(2, released.get(0).organisations());
            assertEquals(2, released.get(0).sealed().size());
            assertArrayEquals(sealed("p-shared"), released.get(0).sealed().get(0));
            assertEquals(new CoordinatorStore.Totals(2, 1, 2, 2), store.totals(2));

            final CoordinatorStore.ContributeResult retry = store.contribute(
                    store.node(a.nodeId()).orElseThrow(), KEY_ID, List.of(pattern("p-shared")), List.of());
            assertEquals(0, retry.newPatterns());
            assertEquals(1, retry.updatedPatterns());
            assertEquals(2.0, store.node(a.nodeId()).orElseThrow().contributed());

            final CoordinatorStore.ContributeResult retraction =
                    store.contribute(store.node(b.nodeId()).orElseThrow(), KEY_ID, List.of(), List.of("p-shared"));
            assertEquals(1, retraction.retracted());
            assertTrue(store.released(KEY_ID, 2, "", 10).isEmpty(), "a retraction withdraws the release");

            assertTrue(store.claimNonce(a.nodeId(), "n-1", clock.get() + 60_000));
            assertFalse(store.claimNonce(a.nodeId(), "n-1", clock.get() + 60_000), "a second use is a replay");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void pagesReleasedPatternsInByteOrderWithoutRepeats(final String backend) throws Exception {
        try (PostgresSchema schema = backend.equals("postgresql") ? PostgresSchema.create() : null;
                CoordinatorStore store = open(schema == null ? null : schema.url())) {
            final CoordinatorStore.NodeRecord a = join(store, "org-a");
            final CoordinatorStore.NodeRecord b = join(store, "org-b");
            // Mixed case and symbols: byte order differs from a linguistic collation's order.
            final List<String> ids = List.of("B-2", "a-1", "_x", "Z9", "b-1");
            final List<CoordinatorStore.Contribution> patterns = new ArrayList<>();
            ids.forEach(id -> patterns.add(pattern(id)));
            store.contribute(a, KEY_ID, patterns, List.of());
            store.contribute(b, KEY_ID, patterns, List.of());

            final List<String> seen = new ArrayList<>();
            String after = "";
            while (true) {
                final List<CoordinatorStore.Released> page = store.released(KEY_ID, 2, after, 2);
                if (page.isEmpty()) {
                    break;
                }
                page.forEach(r -> seen.add(r.patternId()));
                after = page.get(page.size() - 1).patternId();
            }
            assertEquals(List.of("B-2", "Z9", "_x", "a-1", "b-1"), seen);
        }
    }

    @Test
    void recoversWhenPostgresqlDropsItsConnection() throws Exception {
        final String application =
                "coordinator-test-" + UUID.randomUUID().toString().substring(0, 8);
        try (PostgresSchema schema = PostgresSchema.create();
                CoordinatorStore store = open(schema.url() + "&ApplicationName=" + application)) {
            join(store, "org-a");
            final int before = backendPid(schema, application);
            try (Connection admin = DriverManager.getConnection(schema.url());
                    PreparedStatement s = admin.prepareStatement(
                            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = ?")) {
                s.setString(1, application);
                s.executeQuery().close();
            }
            // A pooled connection idle past the pool's bypass window (0.5 s) is validated before use.
            Thread.sleep(1_000);
            assertEquals(1, store.nodes().size(), "the store answers on a new connection");
            assertTrue(store.readable());
            assertNotEquals(before, backendPid(schema, application));
        }
    }

    private CoordinatorStore open(final String connectionString) {
        return new CoordinatorStore(dir.resolve("coordinator-" + UUID.randomUUID()), connectionString, clock::get);
    }

    private static CoordinatorStore.NodeRecord join(final CoordinatorStore store, final String org) {
        final String token = store.mintEnrolment(org, 60_000);
        return store.join(token, "public-key-of-" + org).orElseThrow();
    }

    private static CoordinatorStore.Contribution pattern(final String id) {
        return new CoordinatorStore.Contribution(id, sealed(id), 1.0);
    }

    private static byte[] sealed(final String id) {
        return ("sealed:" + id).getBytes(StandardCharsets.UTF_8);
    }

    private static int backendPid(final PostgresSchema schema, final String application) throws SQLException {
        try (Connection admin = DriverManager.getConnection(schema.url());
                PreparedStatement s =
                        admin.prepareStatement("SELECT pid FROM pg_stat_activity WHERE application_name = ?")) {
            s.setString(1, application);
            try (ResultSet r = s.executeQuery()) {
                assertTrue(r.next(), "the coordinator holds a connection");
                return r.getInt(1);
            }
        }
    }
}
