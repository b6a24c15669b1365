package ai.continuum.server.storage;

import java.nio.file.Path;
import java.util.Locale;

/** Opens the configured storage backend. */
public final class Storages {
    public static final String SQLITE = "sqlite";
    public static final String POSTGRESQL = "postgresql";

    private Storages() {
    }

    /**
     * @param backend          {@value #SQLITE} (default when null or blank) or {@value #POSTGRESQL}.
     * @param dataDir          where SQLite keeps {@code continuum.db}; unused by PostgreSQL.
     * @param connectionString the PostgreSQL URL; unused by SQLite.
     * @return the open storage with its writer running. The caller closes it (it drains the queue).
     */
    public static Storage open(
        final String backend, final Path dataDir, final String connectionString, final StorageSettings settings) {
        final String name = backend == null || backend.isBlank() ? SQLITE : backend.strip().toLowerCase(Locale.ROOT);
        return switch (name) {
            case SQLITE -> SqliteStorage.open(dataDir, settings);
            case POSTGRESQL, "postgres" -> PostgresStorage.open(connectionString, settings);
            default -> throw new IllegalArgumentException("storage backend '" + backend + "' is not one of "
                + SQLITE + ", " + POSTGRESQL);
        };
    }
}
