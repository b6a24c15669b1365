package ai.continuum.server.core;

import ai.continuum.engine.ConceptKeys;
import ai.continuum.engine.Delta;
import ai.continuum.engine.EngineConfig;
import ai.continuum.engine.MemoryEngine;
import ai.continuum.server.storage.Storage;
import ai.continuum.server.storage.StorageOp;
import ai.continuum.server.storage.StorageSettings;
import ai.continuum.server.storage.Storages;
import java.nio.file.Path;

/** An engine and its applier over a real SQLite store, loaded empty: what the applier's tests drive by hand. */
final class ApplierFixture implements AutoCloseable {
    static final long T0 = 1_700_000_000_000L;

    final MemoryEngine engine = MemoryEngine.create(EngineConfig.defaults());
    final Storage storage;
    final EngineApplier applier;

    ApplierFixture(final Path dir) {
        storage = Storages.open("sqlite", dir, null, StorageSettings.defaults());
        applier = new EngineApplier(engine, storage, storage, ms -> {}, new ChangeEvents());
        applier.rebuild(sink -> sink);
    }

    /** Commits {@code delta} for {@code tenant} and applies it as this process's own commit. */
    void commitAndApply(final String tenant, final Delta delta) {
        final StorageOp.Apply op = new StorageOp.Apply(tenant, delta);
        applier.committed(op, storage.submit(op).join()).join();
    }

    static Delta.ConceptDelta concept(final String name) {
        return new Delta.ConceptDelta(key(name), name, "concept", "", T0);
    }

    static String key(final String name) {
        return ConceptKeys.normalize(name);
    }

    @Override
    public void close() {
        applier.close();
        storage.close();
        engine.close();
    }
}
