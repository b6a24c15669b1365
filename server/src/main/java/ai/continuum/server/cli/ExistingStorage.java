package ai.continuum.server.cli;

import ai.continuum.server.ContinuumServer;
import ai.continuum.server.config.ServerConfig;
import ai.continuum.server.storage.SqliteStorage;
import ai.continuum.server.storage.Storage;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Storage of a data directory that must already hold a database, opened without the engine: for maintenance
 * commands that read or tidy the database but must neither create one where there is none nor pay for a rebuild.
 */
final class ExistingStorage {
    private ExistingStorage() {}

    /**
     * @throws IllegalStateException when the SQLite backend is configured and its database file does not exist, or
     *                               the database cannot be opened (unreachable, a schema this version cannot use).
     */
    static Storage open(final ServerConfig config) {
        if (config.sqlite()) {
            final Path db = config.dataDir().resolve(SqliteStorage.FILE_NAME);
            if (!Files.exists(db)) {
                throw new IllegalStateException("no database at " + db.toAbsolutePath()
                        + " (check --data-dir; serve creates it on first start)");
            }
        }
        try {
            return ContinuumServer.openStorage(config);
        } catch (final RuntimeException e) {
            throw new IllegalStateException(
                    "cannot open the " + config.storageBackend() + " storage: " + e.getMessage(), e);
        }
    }
}
