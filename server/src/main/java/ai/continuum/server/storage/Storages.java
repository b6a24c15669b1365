package ai.continuum.server.storage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Opens the configured storage backend. */
public final class Storages {
    public static final String SQLITE = "sqlite";
    public static final String POSTGRESQL = "postgresql";

    private Storages() {}

    /**
     * Opens the configured storage backend.
     *
     * @param backend          {@value #SQLITE} (default when null or blank) or {@value #POSTGRESQL}.
     * @param dataDir          where SQLite keeps {@code continuum.db}; unused by PostgreSQL.
     * @param connectionString the PostgreSQL URL; unused by SQLite.
     * @return the open storage with its writer running. The caller closes it (it drains the queue).
     */
    public static Storage open(
            final String backend, final Path dataDir, final String connectionString, final StorageSettings settings) {
        final String name =
                backend == null || backend.isBlank() ? SQLITE : backend.strip().toLowerCase(Locale.ROOT);
        return switch (name) {
            case SQLITE -> SqliteStorage.open(dataDir, settings);
            case POSTGRESQL, "postgres" -> PostgresStorage.open(connectionString, settings);
            default ->
                throw new IllegalArgumentException(
                        "storage backend '" + backend + "' is not one of " + SQLITE + ", " + POSTGRESQL);
        };
    }

    /**
     * The SQLite database file that a user-given path names: an existing directory is a data directory holding
     * {@value SqliteStorage#FILE_NAME}; an existing file is the database itself; a path that does not exist yet is a
     * database file when its name ends in {@code .db} (e.g. {@code ./data.db}), else a data directory.
     */
    public static Path sqliteFile(final Path path) {
        final Path name = path.getFileName();
        if (Files.isDirectory(path) || name == null) {
            return path.resolve(SqliteStorage.FILE_NAME);
        }
        if (Files.isRegularFile(path) || name.toString().endsWith(".db")) {
            return path;
        }
        return path.resolve(SqliteStorage.FILE_NAME);
    }

    /** A PostgreSQL connection string without its password, for messages and logs. */
    public static String redact(final String connectionString) {
        return PostgresStorage.redact(connectionString);
    }
}
