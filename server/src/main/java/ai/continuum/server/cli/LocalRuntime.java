package ai.continuum.server.cli;

import ai.continuum.engine.MemoryEngine;
import ai.continuum.server.ContinuumServer;
import ai.continuum.server.config.ServerConfig;
import ai.continuum.server.core.ContinuumCore;
import ai.continuum.server.metrics.ContinuumMetrics;
import ai.continuum.server.storage.Storage;

/**
 * The engine and storage of a data directory opened in this process, the engine rebuilt from storage, for commands
 * that work without a server. A server running on the same directory does not see writes made here until it restarts
 * (its engine is loaded once); SQLite's locking keeps the database itself consistent. Closing drains the write queue.
 */
final class LocalRuntime implements AutoCloseable {
    private final MemoryEngine engine;
    private final Storage storage;
    private final ContinuumCore core;

    private LocalRuntime(final MemoryEngine engine, final Storage storage, final ContinuumCore core) {
        this.engine = engine;
        this.storage = storage;
        this.core = core;
    }

    static LocalRuntime open(final ServerConfig config) {
        final MemoryEngine engine = MemoryEngine.create(config.engine());
        final Storage storage;
        try {
            storage = ContinuumServer.openStorage(config);
        } catch (final RuntimeException e) {
            engine.close();
            throw e;
        }
        final ContinuumCore core = new ContinuumCore(engine, storage, new ContinuumMetrics());
        final LocalRuntime runtime = new LocalRuntime(engine, storage, core);
        try {
            core.rebuild();
        } catch (final RuntimeException e) {
            runtime.close();
            throw e;
        }
        return runtime;
    }

    ContinuumCore core() {
        return core;
    }

    @Override
    public void close() {
        try {
            storage.close();
        } finally {
            engine.close();
        }
    }
}
