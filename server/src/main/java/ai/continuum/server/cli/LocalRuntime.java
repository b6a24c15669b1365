package ai.continuum.server.cli;

import ai.continuum.server.ContinuumServer;
import ai.continuum.server.SemanticModel;
import ai.continuum.server.config.ServerConfig;
import ai.continuum.server.core.ContinuumCore;
import ai.continuum.server.core.InProcessCore;
import ai.continuum.server.storage.SqliteProcessLock;

/**
 * The engine and storage of a data directory opened in this process, the engine rebuilt from storage, for commands
 * that work without a server ({@link InProcessCore}). On SQLite they refuse to run beside a server on the same store
 * ({@link SqliteProcessLock}): the server's engine would never see their writes. Closing drains the write queue.
 */
final class LocalRuntime implements AutoCloseable {
    private final InProcessCore opened;
    /** Held while a SQLite store is open here (a server on it refuses to start, and this refuses beside one). */
    private final SqliteProcessLock lock;

    private LocalRuntime(final InProcessCore opened, final SqliteProcessLock lock) {
        this.opened = opened;
        this.lock = lock;
    }

    static LocalRuntime open(final ServerConfig config) {
        final SqliteProcessLock lock = config.sqlite() ? SqliteProcessLock.acquire(config.dataDir()) : null;
        try {
            return new LocalRuntime(
                    InProcessCore.open(
                            config.engine(),
                            () -> ContinuumServer.openStorage(config),
                            config.semanticIndex() ? SemanticModel.load(config.semanticModel()) : null),
                    lock);
        } catch (final RuntimeException e) {
            if (lock != null) {
                lock.close();
            }
            throw e;
        }
    }

    ContinuumCore core() {
        return opened.core();
    }

    @Override
    public void close() {
        try {
            opened.close();
        } finally {
            if (lock != null) {
                lock.close();
            }
        }
    }
}
