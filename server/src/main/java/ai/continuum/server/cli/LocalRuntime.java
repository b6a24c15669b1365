package ai.continuum.server.cli;

import ai.continuum.server.ContinuumServer;
import ai.continuum.server.config.ServerConfig;
import ai.continuum.server.core.ContinuumCore;
import ai.continuum.server.core.InProcessCore;

/**
 * The engine and storage of a data directory opened in this process, the engine rebuilt from storage, for commands
 * that work without a server ({@link InProcessCore}). A server running on the same directory does not see writes made
 * here until it restarts (its engine is loaded once); SQLite's locking keeps the database itself consistent. Closing
 * drains the write queue.
 */
final class LocalRuntime implements AutoCloseable {
    private final InProcessCore opened;

    private LocalRuntime(final InProcessCore opened) {
        this.opened = opened;
    }

    static LocalRuntime open(final ServerConfig config) {
        return new LocalRuntime(InProcessCore.open(config.engine(), () -> ContinuumServer.openStorage(config)));
    }

    ContinuumCore core() {
        return opened.core();
    }

    @Override
    public void close() {
        opened.close();
    }
}
