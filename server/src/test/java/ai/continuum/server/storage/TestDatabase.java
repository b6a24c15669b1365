package ai.continuum.server.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.stream.Stream;
import org.agrona.concurrent.EpochClock;

/**
 * The database one storage test runs against, so that every storage test runs on both backends
 * ({@link OnEachBackend}): a SQLite file in a temporary directory of its own, or a private schema in a real PostgreSQL
 * ({@link PostgresSchema}: the local server, else an embedded one). Closing it deletes the directory or drops the
 * schema.
 *
 * <p>Thread model: one per test run, used from the test's thread.
 */
public final class TestDatabase implements AutoCloseable {
    public enum Backend {
        SQLITE,
        POSTGRESQL
    }

    private final Backend backend;
    private final Path dir;
    private final PostgresSchema schema;
    /** Where a database of {@link #createMigrated} goes back to when closed; null for one of {@link #create}. */
    private final MigratedDatabases pool;

    private TestDatabase(final Backend backend, final Path dir, final PostgresSchema schema) {
        this(backend, dir, schema, null);
    }

    private TestDatabase(
            final Backend backend, final Path dir, final PostgresSchema schema, final MigratedDatabases pool) {
        this.backend = backend;
        this.dir = dir;
        this.schema = schema;
        this.pool = pool;
    }

    /** A fresh, empty database. */
    public static TestDatabase create(final Backend backend) {
        if (backend == Backend.POSTGRESQL) {
            return new TestDatabase(backend, null, PostgresSchema.create());
        }
        try {
            return new TestDatabase(backend, Files.createTempDirectory("continuum-sqlite-test"), null);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A fresh database already at the current schema, as Flyway leaves a new one and nothing else in it: for tests of
     * what a store does with its data, not of migrating. A SQLite file is a copy of one migrated file; a PostgreSQL
     * schema is one migrated once and emptied back to its migrated content when a test closes it (see
     * {@link MigratedDatabases}). Migrating from nothing costs each PostgreSQL schema most of a second (a commit per
     * migration) and each SQLite file Flyway's scan, which tests opening many databases paid again and again.
     */
    public static TestDatabase createMigrated(final Backend backend) {
        final MigratedDatabases pool = MigratedDatabases.of(backend);
        if (backend == Backend.POSTGRESQL) {
            return new TestDatabase(backend, null, pool.takeSchema(), pool);
        }
        return new TestDatabase(backend, pool.copySqlite(), null, null);
    }

    @Override
    public String toString() {
        return backend.name();
    }

    Backend backend() {
        return backend;
    }

    boolean postgres() {
        return backend == Backend.POSTGRESQL;
    }

    /** The PostgreSQL schema of this database; null on SQLite. */
    PostgresSchema schema() {
        return schema;
    }

    /** Where the storage lives: the SQLite data directory or the PostgreSQL connection string. */
    String location() {
        return postgres() ? schema.url() : dir.toString();
    }

    /** Opens the storage over {@code location} with its writer running (e.g. in another process). */
    static Storage open(final Backend backend, final String location, final StorageSettings settings) {
        return backend == Backend.POSTGRESQL
                ? PostgresStorage.open(location, settings)
                : SqliteStorage.open(Path.of(location), settings);
    }

    /** Opens (creating and migrating on first use) the storage with its writer running. */
    public Storage open(final StorageSettings settings) {
        return open(backend, location(), settings);
    }

    /** The storage with its writer not started: the test drives {@link SqlStorage#writer()} by hand. */
    SqlStorage create(final StorageSettings settings, final EpochClock clock) {
        return postgres()
                ? PostgresStorage.create(schema.url(), settings, clock)
                : SqliteStorage.create(dir, settings, clock);
    }

    /** The JDBC URL of the same database. */
    String jdbcUrl() {
        return postgres()
                ? schema.url()
                : "jdbc:sqlite:" + dir.resolve(SqliteStorage.FILE_NAME).toAbsolutePath();
    }

    /** A connection of the test's own, behind the storage's back. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl());
    }

    /** The one number {@code sql} selects. */
    public long scalar(final String sql) {
        try (Connection c = connect();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            if (!rs.next()) {
                throw new IllegalStateException("no row: " + sql);
            }
            return rs.getLong(1);
        } catch (final SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** Runs one statement outside the storage, in its own transaction. */
    public void execute(final String sql) throws SQLException {
        try (Connection c = connect();
                Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    /** Runs one statement with {@code values} bound in order, outside the storage, in its own transaction. */
    public void update(final String sql, final Object... values) throws SQLException {
        try (Connection c = connect();
                PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                ps.setObject(i + 1, values[i]);
            }
            ps.executeUpdate();
        }
    }

    /**
     * Makes every write of the storage fail as a database outage (not as rejected data) until the returned handle is
     * closed: on SQLite another connection holds the write lock; on PostgreSQL the change log every batch appends to
     * and the probe's table ({@code writer_probe}) are renamed away, so the writer's statements fail and its probe too.
     */
    AutoCloseable refuseWrites() throws SQLException {
        final Connection c = connect();
        try (Statement st = c.createStatement()) {
            st.execute(
                    postgres()
                            ? "ALTER TABLE writer_probe RENAME TO writer_probe_refused;"
                                    + " ALTER TABLE change_log RENAME TO change_log_refused"
                            : "BEGIN EXCLUSIVE");
        } catch (final SQLException e) {
            c.close();
            throw e;
        }
        return () -> {
            try (c;
                    Statement st = c.createStatement()) {
                st.execute(
                        postgres()
                                ? "ALTER TABLE writer_probe_refused RENAME TO writer_probe;"
                                        + " ALTER TABLE change_log_refused RENAME TO change_log"
                                : "ROLLBACK");
            }
        };
    }

    @Override
    public void close() throws SQLException, IOException {
        if (pool != null) {
            pool.giveBack(schema);
            return;
        }
        if (schema != null) {
            schema.close();
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (final Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
