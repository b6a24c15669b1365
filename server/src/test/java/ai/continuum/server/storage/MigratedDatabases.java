package ai.continuum.server.storage;

import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.agrona.concurrent.CachedEpochClock;

/**
 * The databases behind {@link TestDatabase#createMigrated}, one set per backend and JVM.
 *
 * <p>SQLite: one data directory migrated by the storage itself; each database is a copy of its file, so it is
 * byte for byte what a new store's migration writes.
 *
 * <p>PostgreSQL: schemas migrated by the storage's own {@link Migrations} once each. The rows the migrations seed
 * (the export seal's secret, the federation node's row) are read back right after; a schema a test has closed is
 * emptied ({@code TRUNCATE} of every table but Flyway's history) and given those rows again before the next test
 * takes it. A schema whose tables are not the migrated ones any more (a test renamed one and failed before renaming
 * it back), or that cannot be emptied, is dropped instead. The idle schemas are dropped when the JVM exits.
 *
 * <p>Thread model: synchronized; tests of one JVM may take and give back from any thread.
 */
final class MigratedDatabases {
    private static final Map<TestDatabase.Backend, MigratedDatabases> BY_BACKEND =
            new EnumMap<>(TestDatabase.Backend.class);

    /** Migrated schemas no test holds. */
    private final Deque<PostgresSchema> idle = new ArrayDeque<>();
    /** What each schema's migrations seeded, by schema (identity: a schema is one object for its life). */
    private final Map<PostgresSchema, Seed> seeds = new IdentityHashMap<>();

    private Path sqliteTemplate;

    /** The tables of a migrated schema and the rows its migrations left in them. */
    private record Seed(SortedSet<String> tables, List<Rows> rows) {}

    private record Rows(String table, List<String> columns, List<Integer> types, List<Object[]> values) {}

    private MigratedDatabases() {}

    static synchronized MigratedDatabases of(final TestDatabase.Backend backend) {
        return BY_BACKEND.computeIfAbsent(backend, b -> {
            final MigratedDatabases pool = new MigratedDatabases();
            Runtime.getRuntime().addShutdownHook(new Thread(pool::dropAll, "migrated-test-databases-drop"));
            return pool;
        });
    }

    /** A new data directory holding a copy of the migrated SQLite file. */
    synchronized Path copySqlite() {
        try {
            if (sqliteTemplate == null) {
                final Path template = Files.createTempDirectory("continuum-sqlite-migrated");
                SqliteStorage.create(template, StorageSettings.defaults(), new CachedEpochClock())
                        .close();
                sqliteTemplate = template;
            }
            final Path dir = Files.createTempDirectory("continuum-sqlite-test");
            try (Stream<Path> files = Files.list(sqliteTemplate)) {
                for (final Path file : files.toList()) {
                    if (file.getFileName().toString().startsWith(SqliteStorage.FILE_NAME)) {
                        Files.copy(file, dir.resolve(file.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
                    }
                }
            }
            return dir;
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An empty migrated schema: an idle one, else a new one migrated now. */
    synchronized PostgresSchema takeSchema() {
        final PostgresSchema ready = idle.pollFirst();
        if (ready != null) {
            return ready;
        }
        final PostgresSchema schema = PostgresSchema.create();
        try (HikariDataSource ds =
                new HikariDataSource(PostgresStorage.poolConfig(schema.url(), "continuum-test-migrate", 2))) {
            Migrations.migrate(ds, SqlDialect.POSTGRESQL);
        }
        try (Connection c = DriverManager.getConnection(schema.url())) {
            seeds.put(schema, readSeed(c));
        } catch (final SQLException e) {
            dropQuietly(schema);
            throw new IllegalStateException("cannot read the migrated schema", e);
        }
        return schema;
    }

    /** Empties {@code schema} back to its migrated content for the next test, or drops it when it cannot be. */
    synchronized void giveBack(final PostgresSchema schema) {
        final Seed seed = seeds.get(schema);
        try (Connection c = DriverManager.getConnection(schema.url())) {
            if (!tables(c).equals(seed.tables())) {
                throw new SQLException("the schema's tables are not the migrated ones: " + tables(c));
            }
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.execute("TRUNCATE " + String.join(", ", seed.tables()));
            }
            for (final Rows rows : seed.rows()) {
                insert(c, rows);
            }
            c.commit();
            idle.addLast(schema);
        } catch (final SQLException e) {
            System.err.println("dropping a test schema that could not be emptied: " + e.getMessage());
            seeds.remove(schema);
            dropQuietly(schema);
        }
    }

    private synchronized void dropAll() {
        for (final PostgresSchema schema : idle) {
            dropQuietly(schema);
        }
        idle.clear();
        if (sqliteTemplate != null) {
            try (Stream<Path> files = Files.walk(sqliteTemplate)) {
                for (final Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (final IOException e) {
                System.err.println("cannot delete " + sqliteTemplate + ": " + e.getMessage());
            }
        }
    }

    private static void dropQuietly(final PostgresSchema schema) {
        try {
            schema.close();
        } catch (final SQLException e) {
            System.err.println("cannot drop a test schema: " + e.getMessage());
        }
    }

    /** The schema's tables but Flyway's history. */
    private static SortedSet<String> tables(final Connection c) throws SQLException {
        final SortedSet<String> tables = new TreeSet<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
                        + " AND tablename <> 'flyway_schema_history'")) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        }
        return tables;
    }

    private static Seed readSeed(final Connection c) throws SQLException {
        final SortedSet<String> tables = tables(c);
        final List<Rows> seeded = new ArrayList<>();
        for (final String table : tables) {
            try (Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT * FROM " + table)) {
                final ResultSetMetaData meta = rs.getMetaData();
                final List<String> columns = new ArrayList<>();
                final List<Integer> types = new ArrayList<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    columns.add(meta.getColumnName(i));
                    types.add(meta.getColumnType(i));
                }
                final List<Object[]> values = new ArrayList<>();
                while (rs.next()) {
                    final Object[] row = new Object[columns.size()];
                    for (int i = 0; i < row.length; i++) {
                        row[i] = rs.getObject(i + 1);
                    }
                    values.add(row);
                }
                if (!values.isEmpty()) {
                    seeded.add(new Rows(table, columns, types, values));
                }
            }
        }
        return new Seed(tables, seeded);
    }

    private static void insert(final Connection c, final Rows rows) throws SQLException {
        final String sql = "INSERT INTO " + rows.table() + " (" + String.join(", ", rows.columns()) + ") VALUES ("
                + String.join(", ", Collections.nCopies(rows.columns().size(), "?")) + ")";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (final Object[] row : rows.values()) {
                for (int i = 0; i < row.length; i++) {
                    if (row[i] == null) {
                        ps.setNull(i + 1, rows.types().get(i));
                    } else {
                        ps.setObject(i + 1, row[i], rows.types().get(i));
                    }
                }
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
