package ai.continuum.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.server.storage.Storage;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code continuum verify} through the CLI entry point on SQLite and PostgreSQL: change_log rows changed, removed
 * and inserted behind the API are each reported at the seq where the chain first breaks; an edit of a state table
 * is not (the chain does not cover it, as the command's help says).
 */
class VerifyCommandTest {
    private static final int OPS = 6;

    @TempDir
    Path dir;

    @Test
    void shouldReportEachTamperedChainAtItsSeqOnSqlite() throws Exception {
        try (CliDatabase db = CliDatabase.sqlite(dir)) {
            shouldReportEachTamperedChainAtItsSeq(db);
        }
    }

    @Test
    void shouldReportEachTamperedChainAtItsSeqOnPostgres() throws Exception {
        try (CliDatabase db = CliDatabase.postgres(dir)) {
            shouldReportEachTamperedChainAtItsSeq(db);
        }
    }

    private static void shouldReportEachTamperedChainAtItsSeq(final CliDatabase db) throws Exception {
        try (Storage storage = db.open()) {
            for (final String tenant : new String[] {"changed", "removed", "inserted", "untouched"}) {
                CliDatabase.learn(storage, tenant, 1, OPS, "about Alpha for " + tenant);
            }
        }
        final CliRun clean = CliRun.of(db.args("verify", "--json"));
        assertEquals(0, clean.code(), clean::all);
        assertTrue(CliJson.of(clean).get("intact").asBoolean(), clean::all);
        assertEquals(4, CliJson.of(clean).get("tenants").size(), clean::all);
        final String untouchedHead =
                byTenant(CliJson.of(clean)).get("untouched").get("head").asText();

        try (Connection c = db.jdbc();
                Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE change_log SET payload = replace(payload, 'turn 3 ', 'turn 7 ') "
                    + "WHERE tenant_id = 'changed' AND seq = 3");
            st.executeUpdate("DELETE FROM change_log WHERE tenant_id = 'removed' AND seq = 4");
            // Insert a copy of op 2 as a new op 3: shift ops 3.. up by one first (in two steps: seq is a key).
            st.executeUpdate("UPDATE change_log SET seq = seq + 1000 WHERE tenant_id = 'inserted' AND seq >= 3");
            st.executeUpdate("UPDATE change_log SET seq = seq - 999 WHERE tenant_id = 'inserted' AND seq > 1000");
            st.executeUpdate("INSERT INTO change_log (tenant_id, seq, kind, payload, payload_digest, prev_hash, hash, "
                    + "committed_at) SELECT tenant_id, 3, kind, payload, payload_digest, prev_hash, hash, committed_at "
                    + "FROM change_log WHERE tenant_id = 'inserted' AND seq = 2");
        }

        final CliRun broken = CliRun.of(db.args("verify", "--json"));
        assertEquals(VerifyCommand.EXIT_BROKEN, broken.code(), broken::all);
        final JsonNode result = CliJson.of(broken);
        assertFalse(result.get("intact").asBoolean(), broken::all);
        final Map<String, JsonNode> tenants = byTenant(result);
        assertBroken(tenants.get("changed"), 3, "payload does not match its digest", OPS);
        assertBroken(tenants.get("removed"), 4, "op 4 is missing", OPS);
        assertBroken(tenants.get("inserted"), 3, "prev_hash does not match the hash of op 2", OPS + 1);
        final JsonNode untouched = tenants.get("untouched");
        assertTrue(untouched.get("intact").asBoolean(), untouched::toString);
        assertEquals(OPS, untouched.get("ops_verified").asLong());
        assertEquals(untouchedHead, untouched.get("head").asText());
        assertTrue(untouched.get("broken_at_seq").isNull(), untouched::toString);

        final CliRun text = CliRun.of(db.args("verify"));
        assertEquals(VerifyCommand.EXIT_BROKEN, text.code(), text::all);
        assertTrue(text.out().contains("[BROKEN] removed: at seq 4: op 4 is missing"), text::all);
        assertTrue(
                text.out().contains("[ok]     untouched: " + OPS + " ops verified, head " + untouchedHead), text::all);
        assertTrue(text.out().contains("4 tenant(s) verified, 3 broken"), text::all);

        final CliRun one = CliRun.of(db.args("verify", "--tenant", "untouched"));
        assertEquals(0, one.code(), one::all);
        assertFalse(one.out().contains("removed"), one::all);
    }

    /** The chain covers the change log only: an edit of a state table behind the API verifies as intact. */
    @Test
    void shouldNotSeeAnEditOfAStateTable() throws Exception {
        try (CliDatabase db = CliDatabase.sqlite(dir)) {
            try (Storage storage = db.open()) {
                CliDatabase.learn(storage, "acme", 1, OPS, "Alpha and Beta");
            }
            final CliRun before = CliRun.of(db.args("verify", "--json"));
            try (Connection c = db.jdbc();
                    Statement st = c.createStatement()) {
                assertEquals(
                        1,
                        st.executeUpdate(
                                "UPDATE attention_links SET count = count + 1000 " + "WHERE tenant_id = 'acme'"));
            }
            final CliRun after = CliRun.of(db.args("verify", "--json"));
            assertEquals(0, after.code(), after::all);
            assertEquals(CliJson.of(before), CliJson.of(after), "the chain cannot see state tables");
            final CliRun help = CliRun.of("verify", "--help");
            assertTrue(help.out().contains("Does not prove"), help::all);
            assertTrue(help.out().contains("attention_links.count"), help::all);
        }
    }

    @Test
    void shouldFailClearlyWithoutADatabaseOrForAnUnknownTenant() throws Exception {
        final CliRun none =
                CliRun.of("verify", "--data-dir", dir.resolve("nothing").toString());
        assertEquals(1, none.code(), none::all);
        assertTrue(none.err().contains("no database at"), none::all);
        assertFalse(none.err().contains("\tat "), none::all);
        assertFalse(dir.resolve("nothing").toFile().exists(), "verify must not create a database");

        try (CliDatabase db = CliDatabase.sqlite(dir)) {
            try (Storage storage = db.open()) {
                CliDatabase.learn(storage, "acme", 1, 2, "Alpha");
            }
            final CliRun unknown = CliRun.of(db.args("verify", "--tenant", "nobody"));
            assertEquals(1, unknown.code(), unknown::all);
            assertTrue(unknown.err().contains("no stored state for tenant 'nobody'"), unknown::all);
            assertEquals(1, CliRun.of(db.args("verify", "--tenant", "../x")).code());
        }
    }

    @Test
    void shouldFailClearlyWhenPostgresIsUnreachable() throws Exception {
        final Path config = dir.resolve("unreachable.yaml");
        Files.writeString(
                config,
                "storage:\n  backend: postgresql\n  connection-string: "
                        + "\"jdbc:postgresql://127.0.0.1:1/none?user=nobody&connectTimeout=2\"\n");
        final CliRun run = CliRun.of("verify", "--data-dir", dir.toString(), "--config", config.toString());
        assertEquals(1, run.code(), run::all);
        assertTrue(run.err().contains("cannot open the postgresql storage"), run::all);
        assertFalse(run.err().contains("\tat "), run::all);
    }

    private static Map<String, JsonNode> byTenant(final JsonNode result) {
        final Map<String, JsonNode> map = new HashMap<>();
        result.get("tenants").forEach(t -> map.put(t.get("tenant_id").asText(), t));
        return map;
    }

    private static void assertBroken(final JsonNode tenant, final long seq, final String problem, final long stored) {
        assertFalse(tenant.get("intact").asBoolean(), tenant::toString);
        assertEquals(seq, tenant.get("broken_at_seq").asLong(), tenant::toString);
        assertTrue(tenant.get("problem").asText().startsWith(problem), tenant::toString);
        assertEquals(seq - 1, tenant.get("ops_verified").asLong(), tenant::toString);
        assertEquals(stored, tenant.get("stored_ops").asLong(), tenant::toString);
    }
}
