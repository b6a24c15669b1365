package ai.continuum.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.engine.semantic.TextEmbedder;
import ai.continuum.engine.testing.DirectPool;
import org.junit.jupiter.api.Test;

/** An engine closed with {@code closeAndRelease} returns its direct memory at once, without a collection. */
class ReleaseTest {
    private static final long T0 = 1_700_000_000_000L;

    /** Four dimensions from the text's length and first letters: enough for the index to store vectors. */
    private static final class Shapes implements TextEmbedder {
        @Override
        public int dimensions() {
            return 4;
        }

        @Override
        public float[] embed(final String text) {
            return new float[] {1f, text.length() % 7, text.isEmpty() ? 0 : text.charAt(0) % 5, 0.5f};
        }

        @Override
        public String name() {
            return "shapes";
        }
    }

    @Test
    void shouldReturnEveryDirectByteOfAClosedEngineWithoutACollection() throws InterruptedException {
        final long before = DirectPool.settledBytes();
        final MemoryEngine engine = MemoryEngine.create(EngineConfig.defaults(), () -> T0, new Shapes());
        for (int i = 1; i <= 3_000; i++) {
            engine.learn(
                    "t" + (i % 3),
                    new Turn(
                            i,
                            "Should Service" + i + " depend on Library" + (i % 97) + " for the Release Plan?",
                            "I will link Service" + i + " with Library" + (i % 97) + ".",
                            "",
                            "s" + (i % 10),
                            "",
                            T0 + i));
        }
        assertTrue(engine.awaitSemanticIndex(30_000), "the vectors are stored");
        assertTrue(!engine.recall("t1", "Library5 Release Plan").memories().isEmpty(), "the engine answers");
        final long held = DirectPool.bytes() - before;
        assertTrue(held >= engine.offHeapBytes() / 2, "the engine's graph is in direct memory: " + held);

        engine.closeAndRelease();

        // Nothing ran a collection (the engine is still referenced here): what went is what was freed.
        final long left = DirectPool.bytes() - before;
        assertTrue(left < held / 20, "returned " + (held - left) + " of " + held + " direct bytes at once");
        engine.closeAndRelease(); // a second call does nothing
    }
}
