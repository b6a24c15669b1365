package ai.continuum.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.server.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

// Real socket: the CLI talks to the server over HTTP.
class ContinuumCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;

    private static CliRun run(final String... args) {
        return CliRun.of(args);
    }

    @Test
    void shouldLearnRecallAndCountThroughDataDirectory() throws Exception {
        final String dir = dataDir.toString();
        final CliRun learned = run(
                "learn",
                "--data-dir",
                dir,
                "--tenant",
                "cli",
                "--session",
                "s1",
                "Tell me about Orbital Mechanics",
                "Orbital Mechanics explains Hohmann Transfers.");
        assertEquals(0, learned.code(), learned.err());
        assertTrue(learned.out().contains("learned memory"), learned.out());

        final CliRun recall = run("recall", "--data-dir", dir, "--tenant", "cli", "--json", "Orbital Mechanics");
        assertEquals(0, recall.code(), recall.err());
        final JsonNode json = JSON.readTree(recall.out());
        assertTrue(json.get("concepts_found").asInt() >= 1, recall.out());
        assertEquals(1, json.get("memories").size());

        final CliRun text = run("recall", "--data-dir", dir, "--tenant", "cli", "Orbital Mechanics");
        assertTrue(text.out().contains("[MEMORY CONTEXT]"), text.out());

        final CliRun stats = run("stats", "--data-dir", dir, "--tenant", "cli", "--json");
        assertEquals(0, stats.code(), stats.err());
        assertEquals(1, JSON.readTree(stats.out()).get("messages").asLong());
    }

    @Test
    void shouldPruneTheLinksSeenOnceAndPersistIt() throws Exception {
        final String dir = dataDir.toString();
        for (final String[] turn : List.of(
                new String[] {"Does the Billing Service call the Payment Gateway?", "It calls the Payment Gateway."},
                new String[] {"Does the Billing Service call the Payment Gateway?", "It calls the Payment Gateway."},
                new String[] {"Where does the Harbor Bridge log?", "The Harbor Bridge logs to the Search Index."})) {
            final CliRun learned = run("learn", "--data-dir", dir, "--tenant", "cli-prune", turn[0], turn[1]);
            assertEquals(0, learned.code(), learned.err());
        }
        final long before = links(dir);

        final CliRun pruned =
                run("prune", "--data-dir", dir, "--tenant", "cli-prune", "--min-strength", "0.2", "--json");

        assertEquals(0, pruned.code(), pruned.all());
        final JsonNode report = JSON.readTree(pruned.out());
        assertEquals(before, report.get("links_examined").asLong());
        final long removed = report.get("links_pruned").asLong();
        assertTrue(removed > 0 && removed < before, pruned.out());
        assertEquals(before - removed, links(dir), "the prune is stored: a new process sees it");
        final CliRun bad = run("prune", "--data-dir", dir, "--tenant", "cli-prune", "--min-strength", "2");
        assertEquals(1, bad.code(), bad.all());
        assertTrue(bad.err().contains("--min-strength must be in [0, 1]"), bad.err());
        assertEquals(before - removed, links(dir));
    }

    private static long links(final String dir) throws Exception {
        final CliRun stats = run("stats", "--data-dir", dir, "--tenant", "cli-prune", "--json");
        assertEquals(0, stats.code(), stats.err());
        return JSON.readTree(stats.out()).get("attention_links").asLong();
    }

    @Test
    void shouldCreateListAndRevokeKeys() throws Exception {
        final String dir = dataDir.toString();
        final CliRun created = run("keys", "create", "--data-dir", dir, "--tenant", "acme", "--name", "ci");
        assertEquals(0, created.code(), created.err());
        final String key = created.out().strip();
        assertTrue(key.startsWith("cm_") && key.length() == 63, key);
        final String keyId = key.substring(3, 19);

        final CliRun listed = run("keys", "list", "--data-dir", dir, "--json");
        final JsonNode rows = JSON.readTree(listed.out()).get("keys");
        assertEquals(keyId, rows.get(0).get("key_id").asText());
        assertTrue(rows.get(0).get("revoked_at").isNull());

        assertEquals(0, run("keys", "revoke", "--data-dir", dir, keyId).code());
        assertTrue(
                JSON.readTree(run("keys", "list", "--data-dir", dir, "--json").out())
                        .get("keys")
                        .get(0)
                        .get("revoked_at")
                        .isTextual());
        assertEquals(
                1, run("keys", "revoke", "--data-dir", dir, "0123456789abcdef").code());
        assertEquals(1, run("keys", "revoke", "--data-dir", dir, "nothex").code());
    }

    /** {@code stats --json} and {@code keys list --json} print what the API answers, field for field. */
    @Test
    void shouldPrintTheApiShapesOfStatsAndKeys() throws Exception {
        final JsonNode apiStats;
        final JsonNode apiKeys;
        try (TestServer server = TestServer.start(dataDir)) {
            final String key = server.createKey("shapes");
            assertEquals(
                    200,
                    server.post(
                                    "/v1/learn",
                                    key,
                                    Map.of(
                                            "user_message", "We picked PostgreSQL for the Billing Service",
                                            "ai_response", "I will configure PostgreSQL replication."))
                            .status());
            apiStats = server.get("/v1/stats", key).json();
            apiKeys = server.get("/v1/keys", TestServer.ADMIN_KEY).json();
        }
        final String dir = dataDir.toString();
        final CliRun stats = run("stats", "--data-dir", dir, "--tenant", "shapes", "--json");
        assertEquals(0, stats.code(), stats.all());
        final JsonNode cliStats = JSON.readTree(stats.out());
        assertEquals(fieldNames(apiStats), fieldNames(cliStats), stats.out());
        for (final String count : List.of("entities", "concepts", "messages", "memories", "decisions")) {
            assertEquals(apiStats.get(count), cliStats.get(count), count);
        }

        final CliRun keys = run("keys", "list", "--data-dir", dir, "--json");
        assertEquals(0, keys.code(), keys.all());
        final JsonNode cliKeys = JSON.readTree(keys.out());
        assertEquals(fieldNames(apiKeys), fieldNames(cliKeys), keys.out());
        assertEquals(apiKeys.get("total"), cliKeys.get("total"));
        assertEquals(
                fieldNames(apiKeys.get("keys").get(0)),
                fieldNames(cliKeys.get("keys").get(0)));
    }

    /** On the default tenant too, an empty recall says which tenant it searched (not just "nothing recalled"). */
    @Test
    void shouldNameTheTenantWhenNothingIsRecalled() {
        final CliRun recall = run("recall", "--data-dir", dataDir.toString(), "Orbital Mechanics");
        assertEquals(0, recall.code(), recall.all());
        assertTrue(recall.out().contains("nothing recalled in tenant 'default'"), recall.out());
    }

    private static List<String> fieldNames(final JsonNode node) {
        final List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void shouldPassDoctorOnHealthyDataDirectory() {
        final String dir = dataDir.toString();
        assertEquals(
                0,
                run("learn", "--data-dir", dir, "Health Checks", "Health Checks pass.")
                        .code());
        final CliRun doctor = run("doctor", "--data-dir", dir, "--verbose");
        assertEquals(0, doctor.code(), doctor.out() + doctor.err());
        assertTrue(doctor.out().contains("PRAGMA integrity_check: ok"), doctor.out());
        assertTrue(doctor.out().contains("[ok]   schema"), doctor.out());
    }

    @Test
    void shouldExplainBadConfigurationWithoutStackTrace() {
        final CliRun bad = run("stats", "--data-dir", dataDir.toString(), "--tenant", "../etc");
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("--tenant '../etc' is invalid"), bad.err());
        assertTrue(!bad.err().contains("\tat "), bad.err());
        assertEquals(2, run("recall").code(), "missing QUERY is a usage error");
    }

    @Test
    void shouldRefuseAHealthUrlThatIsNotHttp() {
        for (final String url : new String[] {"notaurl", "ftp://127.0.0.1:1", "http://", "http://a b"}) {
            final CliRun health = run("health", "--url", url);
            assertEquals(1, health.code(), health.all());
            assertEquals(
                    "continuum: --url '" + url + "' is not an http:// or https:// URL with a host",
                    health.err().strip(),
                    health.all());
        }
    }
}
