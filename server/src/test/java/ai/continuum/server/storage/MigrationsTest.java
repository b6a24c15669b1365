package ai.continuum.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
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
                    Migrations.CURRENT_VERSION,
                    dialect.backend() + ": raise Migrations.CURRENT_VERSION with each new migration");
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
        assertFalse(Migrations.isCurrent(ds));

        try (Storage storage = db.open(StorageSettings.defaults())) {
            assertTrue(Migrations.isCurrent(ds), "opening the storage migrated it");
        }
        assertEquals(1, db.scalar(tableCount(db, "federation_node")));
        assertEquals(
                Long.parseLong(Migrations.CURRENT_VERSION),
                db.scalar("SELECT MAX(CAST(version AS INTEGER)) FROM flyway_schema_history"));
    }

    @OnEachBackend
    void aCurrentStoreSkipsFlywayAndANewOneDoesNot(final TestDatabase db) {
        final DataSource ds = dataSource(db);
        assertFalse(Migrations.isCurrent(ds), "a new database has no history");
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
                    + " WHERE version = '" + Migrations.CURRENT_VERSION + "'");
        }
        assertFalse(Migrations.isCurrent(ds), "a failed migration is Flyway's to report");
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
