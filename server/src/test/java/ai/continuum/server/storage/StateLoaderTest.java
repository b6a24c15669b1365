package ai.continuum.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.engine.Delta;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The start-up load on both backends: deltas in the order the engine needs them, one snapshot even while the writer
 * commits, and a clean stop (no reader left running, every connection back in the pool) when the sink fails.
 */
class StateLoaderTest {
    private static final List<String> TENANTS = List.of("acme", "globex", "initech");

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {Storages.SQLITE, Storages.POSTGRESQL})
    void shouldStreamEachTenantsConceptsBeforeItsLinksMemoriesAndDecisions(final String backend) throws Exception {
        try (Backend db = Backend.open(backend, dir)) {
            seed(db.storage());
            final List<String> order = new ArrayList<>();
            db.storage().load((tenant, delta) -> order.add(tenant + ":" + kind(delta)));
            final List<String> expected = new ArrayList<>();
            for (final String tenant : TENANTS) {
                // chunks of 4 rows: 6 concepts, 15 links, 3 compounds, 3 memories and 3 decisions per tenant
                expected.addAll(List.of(
                        tenant + ":concepts",
                        tenant + ":concepts",
                        tenant + ":links",
                        tenant + ":links",
                        tenant + ":links",
                        tenant + ":links",
                        tenant + ":compounds",
                        tenant + ":memories",
                        tenant + ":decisions"));
            }
            assertEquals(expected, order);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {Storages.SQLITE, Storages.POSTGRESQL})
    void shouldLoadOneSnapshotWhenAWriteCommitsDuringTheLoad(final String backend) throws Exception {
        try (Backend db = Backend.open(backend, dir)) {
            seed(db.storage());
            final AtomicBoolean written = new AtomicBoolean();
            final List<Delta> loaded = new ArrayList<>();
            db.storage().load((tenant, delta) -> {
                if (written.compareAndSet(false, true)) {
                    // Committed after the load's snapshot, before it reads any link: it must not appear.
                    db.storage()
                            .submit(new StorageOp.Apply("acme", Deltas.turn(99, 9_000, "late", "Late One", "Late Two")))
                            .join();
                }
                loaded.add(delta);
            });
            assertTrue(written.get());
            assertTrue(loaded.stream().flatMap(d -> d.links().stream()).noneMatch(l -> l.a().startsWith("late")));
            assertTrue(loaded.stream().flatMap(d -> d.memories().stream()).noneMatch(m -> m.id() == 99));
            assertTrue(
                    Deltas.loaded(db.storage()).get("acme").links().stream().anyMatch(l -> l.a().equals("late one")),
                    "a later load sees the write");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {Storages.SQLITE, Storages.POSTGRESQL})
    void shouldStopItsReadersAndRethrowWhenTheSinkFails(final String backend) throws Exception {
        try (Backend db = Backend.open(backend, dir)) {
            seed(db.storage());
            final IllegalStateException failure = new IllegalStateException("engine full");
            final IllegalStateException thrown = assertThrows(
                    IllegalStateException.class,
                    () -> db.storage().load((tenant, delta) -> {
                        throw failure;
                    }));
            assertSame(failure, thrown);
            assertFalse(
                    Thread.getAllStackTraces().keySet().stream()
                            .anyMatch(t -> t.getName().startsWith("continuum-load-") && t.isAlive()),
                    "a reader outlived the load");
            // Every connection went back: loads keep working, as many times as the pool has connections and more.
            for (int i = 0; i < 6; i++) {
                assertEquals(3, Deltas.loaded(db.storage()).size());
            }
        }
    }

    /** Each tenant: 6 concepts, every pair of them linked (15 links), 3 memories with a compound and a decision. */
    private static void seed(final Storage storage) {
        long id = 1;
        for (final String tenant : TENANTS) {
            final String[] names = {"Alpha", "Beta", "Gamma", "Delta", "Epsilon", "Zeta"};
            storage.submit(new StorageOp.Apply(tenant, Deltas.turn(id++, 100, "all of them", names)))
                    .join();
            storage.submit(new StorageOp.Apply(tenant, Deltas.turn(id++, 200, "two", "Alpha", "Beta")))
                    .join();
            storage.submit(new StorageOp.Apply(tenant, Deltas.turn(id++, 300, "two more", "Gamma", "Zeta")))
                    .join();
        }
    }

    private static String kind(final Delta d) {
        if (!d.concepts().isEmpty()) {
            return "concepts";
        }
        if (!d.links().isEmpty()) {
            return "links";
        }
        if (!d.compounds().isEmpty()) {
            return "compounds";
        }
        return d.memories().isEmpty() ? "decisions" : "memories";
    }

    /** A storage with 4-row load chunks on either backend, and its PostgreSQL schema to drop. */
    private record Backend(Storage storage, PostgresSchema schema) implements AutoCloseable {
        static Backend open(final String backend, final Path dir) {
            final StorageSettings settings = StorageSettings.defaults().withLoadChunkRows(4);
            if (backend.equals(Storages.SQLITE)) {
                return new Backend(SqliteStorage.open(dir, settings), null);
            }
            final PostgresSchema schema = PostgresSchema.create();
            return new Backend(PostgresStorage.open(schema.url(), settings), schema);
        }

        @Override
        public void close() throws Exception {
            try {
                storage.close();
            } finally {
                if (schema != null) {
                    schema.close();
                }
            }
        }
    }
}
