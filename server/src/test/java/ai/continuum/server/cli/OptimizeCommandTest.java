package ai.continuum.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.server.storage.Storage;
import ai.continuum.server.storage.StorageOp;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code continuum optimize} through the CLI entry point on SQLite and PostgreSQL. */
class OptimizeCommandTest {
    /**
     * Enough rows (about 600 KB of text) that they, not the schema's own pages, make up most of the file, so that
     * VACUUM after forgetting nine in ten of them must more than halve it.
     */
    private static final int MEMORIES = 300;

    private static final int FORGOTTEN = 270;
    /** About 2 KB of text per memory, so the rows dominate the file. */
    private static final String BULK = "Alpha Beta ".repeat(180);

    @TempDir
    Path dir;

    @Test
    void shouldShrinkSqliteWithVacuumAfterManyRowsWereDeleted() throws Exception {
        try (CliDatabase db = CliDatabase.sqlite(dir)) {
            fillThenForgetMost(db);

            final CliRun plain = CliRun.of(db.args("optimize", "--json"));
            assertEquals(0, plain.code(), plain::all);
            assertEquals(
                    List.of("ANALYZE", "REINDEX", "PRAGMA wal_checkpoint(TRUNCATE)"), stepNames(CliJson.of(plain)));
            final long before = CliJson.of(plain).get("size_after_bytes").asLong();

            final CliRun vacuum = CliRun.of(db.args("optimize", "--vacuum", "--json"));
            assertEquals(0, vacuum.code(), vacuum::all);
            final JsonNode report = CliJson.of(vacuum);
            assertEquals("sqlite", report.get("backend").asText());
            assertEquals(List.of("ANALYZE", "REINDEX", "VACUUM", "PRAGMA wal_checkpoint(TRUNCATE)"), stepNames(report));
            assertEquals(before, report.get("size_before_bytes").asLong(), vacuum::all);
            final long after = report.get("size_after_bytes").asLong();
            assertTrue(
                    after < before / 2, "VACUUM must give back the forgotten rows' pages: " + before + " -> " + after);
            assertEquals(after, Files.size(dir.resolve("continuum.db")), "the WAL was checkpointed");

            final CliRun verify = CliRun.of(db.args("verify"));
            assertEquals(0, verify.code(), verify::all);
            try (Connection c = db.jdbc();
                    Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("PRAGMA integrity_check")) {
                assertTrue(rs.next());
                assertEquals("ok", rs.getString(1));
            }
            final CliRun text = CliRun.of(db.args("optimize"));
            assertTrue(text.out().contains("steps: ANALYZE "), text::all);
            assertTrue(text.out().matches("(?s).*size: [0-9,]+ -> [0-9,]+ bytes.*"), text::all);
        }
    }

    @Test
    void shouldAnalyzeAndVacuumTheSchemaTablesOnPostgres() throws Exception {
        try (CliDatabase db = CliDatabase.postgres(dir)) {
            fillThenForgetMost(db);
            final CliRun plain = CliRun.of(db.args("optimize", "--json"));
            assertEquals(0, plain.code(), plain::all);
            final JsonNode analyzed = CliJson.of(plain);
            assertEquals("postgresql", analyzed.get("backend").asText());
            final int tables = tableCount(db);
            assertEquals(List.of("ANALYZE of " + tables + " tables"), stepNames(analyzed));
            assertTrue(analyzed.get("scope").asText().startsWith("schema continuum_test_"), plain::all);
            assertTrue(analyzed.get("size_before_bytes").asLong() > 0, plain::all);
            assertTrue(stats(db, "last_analyze"), "ANALYZE ran on the schema's tables");
            assertFalse(stats(db, "last_vacuum"), "no VACUUM without --vacuum");

            final CliRun vacuum = CliRun.of(db.args("optimize", "--vacuum", "--json"));
            assertEquals(0, vacuum.code(), vacuum::all);
            assertEquals(List.of("VACUUM (ANALYZE) of " + tables + " tables"), stepNames(CliJson.of(vacuum)));
            assertTrue(stats(db, "last_vacuum"), "VACUUM ran on the schema's tables");
            // Plain VACUUM does not shrink the files here (it may even add visibility and free-space maps).
            assertTrue(CliJson.of(vacuum).get("size_after_bytes").asLong() > 0, vacuum::all);
            assertEquals(0, CliRun.of(db.args("verify")).code());
        }
    }

    /**
     * A running server's writer keeps committing while optimize --vacuum runs beside it: every write is
     * acknowledged, and the database stays intact.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldLetARunningWriterCommitWhileSqliteIsVacuumed() throws Exception {
        try (CliDatabase db = CliDatabase.sqlite(dir);
                Storage server = db.open()) {
            CliDatabase.learn(server, "live", 1, 500, BULK);
            final List<CompletableFuture<Storage.ContinuityHead>> acks = new ArrayList<>();
            final CompletableFuture<CliRun> optimize =
                    CompletableFuture.supplyAsync(() -> CliRun.of(db.args("optimize", "--vacuum", "--json")));
            long id = 1_000;
            while (!optimize.isDone() || acks.size() < 50) {
                acks.add(server.submit(CliDatabase.turn("live", id++, "written during optimize")));
                acks.getLast().get(30, TimeUnit.SECONDS);
            }
            final CliRun run = optimize.get();
            assertEquals(0, run.code(), run::all);
            for (final CompletableFuture<Storage.ContinuityHead> ack : acks) {
                assertTrue(ack.isDone() && !ack.isCompletedExceptionally());
            }
            assertTrue(server.verifyContinuity("live").intact());
            assertEquals(500 + acks.size(), server.continuity("live").length());
        }
    }

    /** Another connection holds the write lock past the busy timeout: optimize stops with a message, not damage. */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldStopWithAClearMessageWhenSqliteStaysLocked() throws Exception {
        try (CliDatabase db = CliDatabase.sqlite(dir)) {
            try (Storage storage = db.open()) {
                CliDatabase.learn(storage, "locked", 1, 20, "Alpha");
            }
            final CliRun run;
            try (Connection holder = db.jdbc();
                    Statement st = holder.createStatement()) {
                holder.setAutoCommit(false);
                st.executeUpdate("UPDATE tenants SET last_active = last_active + 1");
                run = CliRun.of(db.args("optimize", "--vacuum"));
                holder.rollback();
            }
            assertEquals(1, run.code(), run::all);
            assertTrue(run.err().contains("optimize stopped at ANALYZE"), run::all);
            assertTrue(run.err().contains("write lock"), run::all);
            assertFalse(run.err().contains("\tat "), run::all);
            assertFalse(run.err().contains("side writes failed"), "opening the store wrote nothing: " + run.all());
            assertEquals(0, CliRun.of(db.args("verify")).code());
            assertEquals(0, CliRun.of(db.args("optimize", "--vacuum")).code(), "works once the lock is released");
        }
    }

    private static void fillThenForgetMost(final CliDatabase db) {
        try (Storage storage = db.open()) {
            CliDatabase.learn(storage, "bulk", 1, MEMORIES, BULK);
            final List<CompletableFuture<Storage.ContinuityHead>> acks = new ArrayList<>();
            for (long id = 1; id <= FORGOTTEN; id++) {
                acks.add(storage.submit(new StorageOp.ForgetMemory("bulk", id)));
            }
            acks.forEach(CompletableFuture::join);
        }
    }

    private static List<String> stepNames(final JsonNode report) {
        final List<String> names = new ArrayList<>();
        report.get("steps").forEach(s -> names.add(s.get("name").asText()));
        return names;
    }

    private static int tableCount(final CliDatabase db) throws Exception {
        try (Connection c = db.jdbc();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** Whether every table of the schema has {@code column} (last_analyze, last_vacuum) set. */
    private static boolean stats(final CliDatabase db, final String column) throws Exception {
        try (Connection c = db.jdbc();
                PreparedStatement ps = c.prepareStatement("SELECT count(*) FILTER (WHERE " + column
                        + " IS NULL), count(*) FROM pg_stat_user_tables WHERE schemaname = current_schema()");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            assertTrue(rs.getInt(2) > 0, "no tables in the schema's statistics");
            return rs.getInt(1) == 0;
        }
    }
}
