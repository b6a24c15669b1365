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
import java.util.List;

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

    /** A turn (memory {@code id}) naming {@code a} and {@code b}: two concepts, one link, one memory. */
    static Delta turn(final long id, final String a, final String b) {
        return new Delta(
                List.of(concept(a), concept(b)),
                List.of(new Delta.LinkDelta(key(a), key(b), 1, T0 + id)),
                List.of(),
                List.of(new Delta.MemoryDelta(
                        id,
                        "s",
                        "How do " + a + " and " + b + " meet?",
                        "Often.",
                        "",
                        "{}",
                        T0 + id,
                        List.of(key(a), key(b)))),
                List.of());
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
