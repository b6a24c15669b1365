package ai.continuum.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The walk leaves out concepts too weak to reach the ranking it feeds ({@code Recaller.spread}): the first {@code n}
 * concepts of a resonance kept to {@code n} are the first {@code n} of the whole walk's, with the same activations
 * and depths, on random graphs whose link counts repeat (so activations tie) and whose names share words.
 */
class SpreadPruningTest {
    private static final long T0 = 1_700_000_000_000L;
    private static final int CONCEPTS = 300;

    @Test
    void shouldRankTheFirstConceptsAsTheWholeWalkDoes() {
        final SplittableRandom random = new SplittableRandom(7);
        for (int graph = 0; graph < 60; graph++) {
            try (MemoryEngine engine = MemoryEngine.create(EngineConfig.defaults(), () -> T0)) {
                final List<String> names = new ArrayList<>();
                for (int c = 0; c < CONCEPTS; c++) {
                    names.add("Word" + random.nextInt(40) + " Term" + c);
                }
                for (int l = 0; l < CONCEPTS * 5; l++) {
                    final String a = names.get(random.nextInt(CONCEPTS));
                    final String b = names.get(random.nextInt(CONCEPTS));
                    if (!a.equals(b)) {
                        engine.apply("t", Deltas.link(a, b, 1 + random.nextInt(4), T0));
                    }
                }
                final ResonanceCursor kept = engine.newResonanceCursor();
                final ResonanceCursor whole = engine.newResonanceCursor();
                for (int query = 0; query < 20; query++) {
                    final int seeds = 1 + random.nextInt(6);
                    final CharSequence[] keys = new CharSequence[seeds];
                    for (int i = 0; i < seeds; i++) {
                        keys[i] = ConceptKeys.normalize(names.get(random.nextInt(CONCEPTS)));
                    }
                    final int limit = 1 + random.nextInt(12);
                    final int n = engine.resonate("t", keys, seeds, limit, kept);
                    final int all = engine.resonate("t", keys, seeds, CONCEPTS, whole);
                    assertEquals(Math.min(limit, all), n, "graph " + graph + ", query " + query);
                    for (int r = 0; r < n; r++) {
                        final String at = "graph " + graph + ", query " + query + ", rank " + r;
                        assertEquals(whole.name(r), kept.name(r), at);
                        assertEquals(whole.activation(r), kept.activation(r), 0.0, at);
                        assertEquals(whole.depth(r), kept.depth(r), at);
                    }
                }
            }
        }
    }
}
