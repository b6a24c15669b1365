package ai.continuum.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.engine.semantic.StoredVectors;
import ai.continuum.engine.semantic.TextEmbedder;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The semantic index takes stored vectors instead of running the model: an engine built again from the same deltas
 * (a restart) with the vectors its predecessor stored embeds nothing, and recall still finds by meaning; vectors of
 * another model are not taken; a vector preset from elsewhere (a snapshot) is used and not recomputed. A vector the
 * model was computing while its tenant was dropped (a replace) is neither kept nor handed to the store, and the store
 * hears of the drop after every vector of the dropped memories and before any of the memories received since.
 */
class StoredVectorsTest {
    private static final long WAIT_MS = 10_000;

    /** Counts every call of the model; two meanings, by word. */
    private static final class Counting implements TextEmbedder {
        final AtomicInteger calls = new AtomicInteger();
        private final String name;

        Counting(final String name) {
            this.name = name;
        }

        @Override
        public int dimensions() {
            return 4;
        }

        @Override
        public float[] embed(final String text) {
            calls.incrementAndGet();
            final String t = text.toLowerCase(java.util.Locale.ROOT);
            return new float[] {
                t.contains("granny") || t.contains("grandmother") ? 1f : 0f,
                t.contains("flooded") || t.contains("water") ? 1f : 0f,
                0.05f,
                0f
            };
        }

        @Override
        public String name() {
            return name;
        }
    }

    /** A map by tenant, memory id and model, as the server's table is keyed. */
    private static final class MapStore implements StoredVectors {
        record Key(String tenant, long memoryId, String model) {}

        /** A stored vector; the array is this test's own copy, never changed. */
        static final class Vector {
            private final byte[] quantised;
            private final float scale;

            Vector(final byte[] quantised, final float scale) {
                this.quantised = quantised;
                this.scale = scale;
            }

            byte[] quantised() {
                return quantised;
            }

            float scale() {
                return scale;
            }
        }

        final Map<Key, Vector> rows = new ConcurrentHashMap<>();
        final AtomicInteger lookups = new AtomicInteger();
        /** The saves and drops the index told, in order. */
        final List<String> told = new CopyOnWriteArrayList<>();

        @Override
        public void find(
                final String tenant, final long[] memoryIds, final int count, final String model, final Found found) {
            lookups.incrementAndGet();
            for (int i = 0; i < count; i++) {
                final Vector v = rows.get(new Key(tenant, memoryIds[i], model));
                if (v != null) {
                    found.vector(memoryIds[i], v.quantised(), v.scale());
                }
            }
        }

        @Override
        public void save(
                final String tenant,
                final long memoryId,
                final String model,
                final byte[] quantised,
                final float scale) {
            rows.put(new Key(tenant, memoryId, model), new Vector(quantised.clone(), scale));
            told.add("save " + tenant + " " + memoryId);
        }

        @Override
        public void dropped(final String tenant) {
            told.add("dropped " + tenant);
        }
    }

    /**
     * Holds the embedding thread inside the model until released, once it has been entered: the test then changes the
     * engine while a vector is being computed.
     */
    private static final class Held implements TextEmbedder {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        private final Counting model = new Counting("m1");

        @Override
        public int dimensions() {
            return model.dimensions();
        }

        @Override
        public float[] embed(final String text) {
            entered.countDown();
            try {
                assertTrue(release.await(WAIT_MS, TimeUnit.MILLISECONDS), "released");
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            return model.embed(text);
        }

        @Override
        public String name() {
            return model.name();
        }
    }

    private static final List<Turn> TURNS = List.of(
            new Turn(1, "Ben: My grandmother turned one hundred yesterday.", "", "", "s1", "", 60_000L),
            new Turn(2, "Ben: Our flat got flooded when the pipe burst.", "", "", "s2", "", 120_000L),
            new Turn(3, "Ben: I bought a new guitar for the band.", "", "", "s3", "", 180_000L));

    private static MemoryEngine learnAll(final Counting model, final StoredVectors store) throws InterruptedException {
        final MemoryEngine engine = MemoryEngine.create(EngineConfig.defaults(), () -> 0L, model);
        engine.attachStoredVectors(store);
        for (final Turn turn : TURNS) {
            engine.learn("t", turn);
        }
        assertTrue(engine.awaitSemanticIndex(WAIT_MS), "embedding thread stuck");
        return engine;
    }

    @Test
    void aRestartTakesTheStoredVectorsAndRunsTheModelOnNone() throws InterruptedException {
        final MapStore store = new MapStore();
        final Counting first = new Counting("m1");
        try (MemoryEngine engine = learnAll(first, store)) {
            assertEquals(3, first.calls.get(), "each memory embedded once");
        }
        assertEquals(3, store.rows.size(), "every computed vector handed to the store");

        final Counting second = new Counting("m1");
        try (MemoryEngine restarted = learnAll(second, store)) {
            assertEquals(0, second.calls.get(), "no memory embedded again after the restart");
            final RecallResult r = restarted.recall("t", "How old is granny?", 5, 3);
            assertEquals(1, second.calls.get(), "only the query is embedded");
            assertEquals(1L, r.memories().getFirst().memory().id(), "found by its stored vector: it shares no word");
        }
    }

    @Test
    void vectorsOfAnotherModelAreNotTaken() throws InterruptedException {
        final MapStore store = new MapStore();
        try (MemoryEngine engine = learnAll(new Counting("m1"), store)) {
            assertEquals(3, store.rows.size());
        }
        final Counting other = new Counting("m2");
        try (MemoryEngine restarted = learnAll(other, store)) {
            assertEquals(3, other.calls.get(), "another model's vectors are computed anew");
        }
        assertEquals(6, store.rows.size());
    }

    @Test
    void aPresetVectorIsUsedAndNotRecomputed() throws InterruptedException {
        final MapStore store = new MapStore();
        final Counting first = new Counting("m1");
        try (MemoryEngine engine = learnAll(first, store)) {
            assertEquals(3, first.calls.get());
        }
        final Counting second = new Counting("m1");
        try (MemoryEngine engine = MemoryEngine.create(EngineConfig.defaults(), () -> 0L, second)) {
            // A bulk load then an image-like path: nothing queued while loading, then the vectors preset, then the
            // rest.
            for (final Turn turn : TURNS) {
                engine.learn("t", turn);
            }
            assertTrue(engine.awaitSemanticIndex(WAIT_MS));
            assertEquals(3, second.calls.get(), "no store attached: embedded");
            final MapStore.Vector v = store.rows.get(new MapStore.Key("t", 1L, "m1"));
            assertFalse(engine.presetVector("t", 1L, v.quantised(), v.scale()), "it has one already");
            assertFalse(engine.presetVector("t", 99L, v.quantised(), v.scale()), "no such memory");
            assertFalse(engine.presetVector("nobody", 1L, v.quantised(), v.scale()), "no such tenant");
            assertEquals(0, engine.embedMissing(), "every memory has its vector");
        }
    }

    @Test
    void aVectorComputedWhileItsTenantIsDroppedIsNeitherKeptNorSaved() throws InterruptedException {
        final Held model = new Held();
        final MapStore store = new MapStore();
        try (MemoryEngine engine = MemoryEngine.create(EngineConfig.defaults(), () -> 0L, model)) {
            engine.attachStoredVectors(store);
            engine.learn("t", TURNS.get(0));
            assertTrue(model.entered.await(WAIT_MS, TimeUnit.MILLISECONDS), "the model runs on the memory");
            assertTrue(engine.dropTenant("t"), "dropped while its memory's vector is being computed");
            model.release.countDown();
            assertTrue(engine.awaitSemanticIndex(WAIT_MS), "embedding thread stuck");
            assertEquals(List.of("dropped t"), store.told, "the dropped memory's vector is not saved");

            // The tenant receives a memory under the same id, with other text: its own vector is saved, after the drop.
            engine.learn("t", new Turn(1, "Ben: Our flat got flooded again.", "", "", "s1", "", 240_000L));
            assertTrue(engine.awaitSemanticIndex(WAIT_MS), "embedding thread stuck");
            assertEquals(List.of("dropped t", "save t 1"), store.told);
            assertTrue(store.rows.get(new MapStore.Key("t", 1L, "m1")).quantised()[1] > 0, "the new text's vector");
            final RecallResult r = engine.recall("t", "water everywhere", 5, 3);
            assertEquals(1, r.memories().size(), r.toString());
            assertTrue(r.memories().getFirst().why().semantic() > 0, "found by the new memory's vector");
        }
    }

    @Test
    void theStoreHearsOfTheDropOfATenantTheEngineDoesNotHold() {
        final MapStore store = new MapStore();
        try (MemoryEngine engine = MemoryEngine.create(EngineConfig.defaults(), () -> 0L, new Counting("m1"))) {
            engine.attachStoredVectors(store);
            assertFalse(engine.dropTenant("nobody"));
            assertEquals(List.of("dropped nobody"), store.told, "a replace into a new tenant is dropped too");
        }
    }
}
