package ai.continuum.server.core;

import ai.continuum.engine.EngineConfig;
import ai.continuum.engine.MemoryEngine;
import ai.continuum.engine.semantic.TextEmbedder;
import ai.continuum.server.metrics.ContinuumMetrics;
import ai.continuum.server.storage.Storage;
import java.util.function.Supplier;

/**
 * An engine and a storage opened in this process, with the {@link ContinuumCore} over them and the engine rebuilt
 * from storage: what the CLI's data commands and the embedding API run on, without a server. Servers following the same
 * PostgreSQL database see the writes made here at once (they follow the change log); this engine does not follow
 * theirs. Closing drains the write queue, stops the core's thread, then frees the engine.
 *
 * <p>Thread safety: the core is thread-safe; {@link #close} must come last.
 */
public final class InProcessCore implements AutoCloseable {
    private final MemoryEngine engine;
    private final Storage storage;
    private final ContinuumCore core;

    private InProcessCore(final MemoryEngine engine, final Storage storage) {
        this.engine = engine;
        this.storage = storage;
        this.core = new ContinuumCore(engine, storage, new ContinuumMetrics());
    }

    /**
     * Opens the storage, creates the engine sized for it ({@link EngineSizing}) and rebuilds the engine from it;
     * whatever was opened is closed again if a step fails.
     */
    public static InProcessCore open(final EngineConfig config, final Supplier<Storage> openStorage) {
        return open(config, openStorage, null);
    }

    /**
     * As {@link #open(EngineConfig, Supplier)}, with a semantic index when {@code embedder} is not null
     * (recall.semantic.enabled): the rebuilt memories are embedded in the background ({@link
     * ContinuumCore#awaitSemanticIndex}).
     */
    public static InProcessCore open(
            final EngineConfig config, final Supplier<Storage> openStorage, final TextEmbedder embedder) {
        final Storage storage = openStorage.get();
        final MemoryEngine engine;
        try {
            final EngineConfig sized = EngineSizing.forStored(config, storage);
            engine = embedder == null
                    ? MemoryEngine.create(sized)
                    : MemoryEngine.create(sized, System::currentTimeMillis, embedder);
        } catch (final RuntimeException e) {
            storage.close();
            throw e;
        }
        final InProcessCore opened = new InProcessCore(engine, storage);
        try {
            opened.core.rebuild();
        } catch (final RuntimeException e) {
            opened.close();
            throw e;
        }
        return opened;
    }

    public ContinuumCore core() {
        return core;
    }

    @Override
    public void close() {
        try {
            storage.close();
        } finally {
            try {
                core.close();
            } finally {
                engine.close();
            }
        }
    }
}
