package ai.continuum.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.engine.Delta;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.sqlite.SQLiteDataSource;

/** The schema check before Flyway: a current database skips it, any other still goes through it. */
class MigrationsTest {
    private static final Pattern VERSIONED = Pattern.compile("V(\\d+)__.*\\.sql");

    @Test
    void currentVersionIsTheNewestMigrationOfEachBackend() throws IOException, URISyntaxException {
        for (final SqlDialect dialect : SqlDialect.values()) {
            final Path dir = Path.of(MigrationsTest.class
                    .getClassLoader()
                    .getResource("db/migration/" + dialect.backend())
                    .toURI());
            final int newest;
            try (Stream<Path> files = Files.list(dir)) {
                newest = files.map(f -> VERSIONED.matcher(f.getFileName().toString()))
                        .filter(Matcher::matches)
                        .mapToInt(m -> Integer.parseInt(m.group(1)))
                        .max()
                        .orElseThrow();
            }
            assertEquals(
                    String.valueOf(newest),
                    Migrations.currentVersion(dialect),
                    dialect.backend() + ": raise Migrations.currentVersion with each new migration");
        }
    }

    @OnEachBackend
    void aStoreAtAnOlderVersionIsMigratedByFlyway(final TestDatabase db) {
        final DataSource ds = dataSource(db);
        Flyway.configure()
                .dataSource(ds)
                .locations(dialect(db).migrations())
                .target("9")
                .load()
                .migrate();
        assertEquals(0, db.scalar(tableCount(db, "federation_node")), "the older schema lacks version 10's tables");
        assertFalse(Migrations.isCurrent(ds, dialect(db)));

        try (Storage storage = db.open(StorageSettings.defaults())) {
            assertTrue(Migrations.isCurrent(ds, dialect(db)), "opening the storage migrated it");
        }
        assertEquals(1, db.scalar(tableCount(db, "federation_node")));
        assertEquals(
                Long.parseLong(Migrations.currentVersion(dialect(db))),
                db.scalar("SELECT MAX(CAST(version AS INTEGER)) FROM flyway_schema_history"));
    }

    @OnEachBackend
    void aCurrentStoreSkipsFlywayAndANewOneDoesNot(final TestDatabase db) {
        final DataSource ds = dataSource(db);
        assertFalse(Migrations.isCurrent(ds, dialect(db)), "a new database has no history");
        assertEquals(Migrations.Outcome.FLYWAY, Migrations.migrate(ds, dialect(db)));
        assertEquals(Migrations.Outcome.ALREADY_CURRENT, Migrations.migrate(ds, dialect(db)));
    }

    @OnEachBackend
    void aFailedMigrationInTheHistoryGoesToFlyway(final TestDatabase db) throws Exception {
        final DataSource ds = dataSource(db);
        Migrations.migrate(ds, dialect(db));
        try (var c = db.connect();
                var st = c.createStatement()) {
            st.executeUpdate("UPDATE flyway_schema_history SET success = " + (db.postgres() ? "false" : "0")
                    + " WHERE version = '" + Migrations.currentVersion(dialect(db)) + "'");
        }
        assertFalse(Migrations.isCurrent(ds, dialect(db)), "a failed migration is Flyway's to report");
    }

    /**
     * SQLite's version 11 moves the change log into a table with row ids. A store written at version 10 (learns of two
     * tenants, each logged row longer than a WITHOUT ROWID page keeps in place, and a forgotten memory's ops redacted)
     * keeps every row as it was; its chains verify, its state loads the same, the next learn extends its chain, and
     * (tenant, seq) stays unique.
     */
    @Test
    void sqliteVersion11KeepsTheChangeLogRowForRow() throws Exception {
        try (TestDatabase db = TestDatabase.create(TestDatabase.Backend.SQLITE)) {
            final Map<String, Delta> state;
            try (Storage s = db.open(StorageSettings.defaults())) {
                for (int i = 1; i <= 40; i++) {
                    final String text = "turn " + i + " " + "about the release train ".repeat(60);
                    s.submit(new StorageOp.Apply(i % 4 == 0 ? "b" : "a", Deltas.turn(i, i, text, "Alpha", "Beta")))
                            .join();
                }
                s.submit(new StorageOp.ForgetMemory("a", 1)).join();
                state = Deltas.loaded(s);
            }
            try (Connection c = db.connect();
                    Statement st = c.createStatement()) {
                // the change log as version 1 made it, and the history of a store at version 10
                st.executeUpdate("CREATE TABLE change_log_v10 (tenant_id TEXT NOT NULL, seq INTEGER NOT NULL CHECK "
                        + "(seq >= 1), kind TEXT NOT NULL, payload TEXT NOT NULL, payload_digest TEXT NOT NULL, "
                        + "prev_hash TEXT NOT NULL, hash TEXT NOT NULL, committed_at INTEGER NOT NULL, redacted_at "
                        + "INTEGER, PRIMARY KEY (tenant_id, seq)) WITHOUT ROWID");
                st.executeUpdate("INSERT INTO change_log_v10 SELECT * FROM change_log");
                st.executeUpdate("DROP TABLE change_log");
                st.executeUpdate("ALTER TABLE change_log_v10 RENAME TO change_log");
                st.executeUpdate("DELETE FROM flyway_schema_history WHERE version = '11'");
            }
            final String withoutRowid =
                    "SELECT COUNT(*) FROM sqlite_master WHERE name = 'change_log' AND sql LIKE '%WITHOUT ROWID%'";
            assertEquals(1, db.scalar(withoutRowid));
            assertEquals(
                    1,
                    db.scalar("SELECT COUNT(*) FROM change_log WHERE redacted_at IS NOT NULL"),
                    "the forgotten turn");
            final List<List<Object>> rows = changeLog(db);
            assertEquals(41, rows.size());
            assertFalse(Migrations.isCurrent(dataSource(db), SqlDialect.SQLITE));

            try (Storage s = db.open(StorageSettings.defaults())) {
                assertEquals(0, db.scalar(withoutRowid), "migrated");
                assertEquals(rows, changeLog(db), "every row as it was");
                assertEquals(state, Deltas.loaded(s));
                for (final String tenant : List.of("a", "b")) {
                    final Storage.ContinuityCheck check = s.verifyContinuity(tenant);
                    assertTrue(check.intact(), check::toString);
                }
                final long length = s.continuity("a").length();
                s.submit(new StorageOp.Apply("a", Deltas.turn(41, 41, "the next turn", "Alpha", "Gamma")))
                        .join();
                assertEquals(length + 1, s.continuity("a").length());
                assertTrue(s.verifyContinuity("a").intact());
            }
            try (Connection c = db.connect();
                    Statement st = c.createStatement()) {
                assertThrows(
                        SQLException.class,
                        () -> st.executeUpdate("INSERT INTO change_log SELECT * FROM change_log LIMIT 1"),
                        "(tenant_id, seq) is still the primary key");
            }
        }
    }

    /**
     * A migration that fails (here SQLite's 11, whose new table's name is taken) is reported in one line that names
     * the version and the database's reason, and leaves the store at the version it had, its change log as it was.
     */
    @Test
    void aFailingMigrationIsReportedInOneLineAndLeavesTheStoreAsItWas() throws Exception {
        try (TestDatabase db = TestDatabase.create(TestDatabase.Backend.SQLITE)) {
            final DataSource ds = dataSource(db);
            Flyway.configure()
                    .dataSource(ds)
                    .locations(SqlDialect.SQLITE.migrations())
                    .target("10")
                    .load()
                    .migrate();
            try (Connection c = db.connect();
                    Statement st = c.createStatement()) {
                st.executeUpdate("CREATE TABLE change_log_v11 (taken INTEGER)");
            }
            final StorageUnavailableException e =
                    assertThrows(StorageUnavailableException.class, () -> Migrations.migrate(ds, SqlDialect.SQLITE));
            assertTrue(
                    e.getMessage().startsWith("cannot bring the sqlite schema to version 11: ")
                            && e.getMessage().contains("change_log_v11 already exists")
                            && !e.getMessage().contains("\n"),
                    e.getMessage());
            assertFalse(Migrations.isCurrent(ds, SqlDialect.SQLITE));
            assertEquals(0, db.scalar("SELECT COUNT(*) FROM flyway_schema_history WHERE version = '11'"));
            assertEquals(
                    1,
                    db.scalar("SELECT COUNT(*) FROM sqlite_master WHERE name = 'change_log' AND sql LIKE "
                            + "'%WITHOUT ROWID%'"),
                    "the change log as version 10 left it");
        }
    }

    /** Every column of every change-log row, in key order. */
    private static List<List<Object>> changeLog(final TestDatabase db) throws SQLException {
        final List<List<Object>> rows = new ArrayList<>();
        try (Connection c = db.connect();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT * FROM change_log ORDER BY tenant_id, seq")) {
            final int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                final List<Object> row = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    row.add(rs.getObject(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    private static SqlDialect dialect(final TestDatabase db) {
        return db.postgres() ? SqlDialect.POSTGRESQL : SqlDialect.SQLITE;
    }

    private static String tableCount(final TestDatabase db, final String table) {
        return db.postgres()
                ? "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() "
                        + "AND table_name = '" + table + "'"
                : "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '" + table + "'";
    }

    private static DataSource dataSource(final TestDatabase db) {
        if (db.postgres()) {
            final PGSimpleDataSource pg = new PGSimpleDataSource();
            pg.setURL(db.jdbcUrl());
            return pg;
        }
        final SQLiteDataSource lite = new SQLiteDataSource();
        lite.setUrl(db.jdbcUrl());
        return lite;
    }
}
