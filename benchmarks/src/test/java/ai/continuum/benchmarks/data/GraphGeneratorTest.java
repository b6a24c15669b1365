package ai.continuum.benchmarks.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.engine.Delta;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GraphGeneratorTest {
    private static final GraphSize SIZE = new GraphSize(2_000, 9_000);

    @Test
    void shouldEmitIdenticalDeltasWhenSeedIsTheSame() {
        final List<Delta> first = new ArrayList<>();
        final List<Delta> second = new ArrayList<>();
        final GeneratedGraph a = new GraphGenerator(SIZE, 11L, 500).generate(first::add);
        final GeneratedGraph b = new GraphGenerator(SIZE, 11L, 500).generate(second::add);
        assertEquals(first, second);
        assertEquals(a.checksum(), b.checksum());
        final GeneratedGraph other = new GraphGenerator(SIZE, 12L, 500).generate(d -> {});
        assertNotEquals(a.checksum(), other.checksum());
    }

    @Test
    void shouldEmitExactlyTheRequestedDistinctLinksBetweenEmittedConcepts() {
        final Set<String> concepts = new HashSet<>();
        final Set<String> pairs = new HashSet<>();
        final int[] memories = {0};
        final int chunk = 700;
        final GeneratedGraph graph = new GraphGenerator(SIZE, 3L, chunk).generate(d -> {
            assertTrue(d.concepts().size() + d.links().size() + d.memories().size() <= chunk);
            d.concepts().forEach(c -> assertTrue(concepts.add(c.key()), "concept emitted twice: " + c.key()));
            for (final Delta.LinkDelta l : d.links()) {
                assertTrue(concepts.contains(l.a()) && concepts.contains(l.b()), "link before its concepts");
                assertTrue(pairs.add(l.a() + '|' + l.b()), "link emitted twice: " + l);
                assertTrue(l.count() >= 1 && l.count() <= GraphGenerator.MAX_LINK_COUNT);
            }
            for (final Delta.MemoryDelta m : d.memories()) {
                memories[0]++;
                assertTrue(m.concepts().size() >= 3 && m.concepts().size() <= 6);
                assertTrue(concepts.containsAll(m.concepts()), "memory names unknown concepts: " + m.concepts());
            }
        });
        assertEquals(SIZE.concepts(), concepts.size());
        assertEquals(SIZE.links(), pairs.size());
        assertEquals(SIZE.concepts() / GraphGenerator.CONCEPTS_PER_MEMORY, memories[0]);
        assertEquals(memories[0], graph.memories());
        long degreeSum = 0;
        for (final int d : graph.degrees()) {
            assertTrue(d >= 1, "every concept is linked");
            degreeSum += d;
        }
        assertEquals(2L * SIZE.links(), degreeSum);
    }

    @Test
    void shouldProduceHeavyTailedDegreesAndVariedCountsWhenGraphIsLarge() {
        final int[] countHistogram = new int[GraphGenerator.MAX_LINK_COUNT + 1];
        final GeneratedGraph graph = new GraphGenerator(new GraphSize(50_000, 250_000), 5L)
                .generate(d -> d.links().forEach(l -> countHistogram[l.count()]++));
        assertEquals(10.0, graph.meanDegree(), 1e-9);
        assertTrue(graph.maxDegree() > 30 * graph.meanDegree(), "max degree " + graph.maxDegree());
        int belowMean = 0;
        for (final int d : graph.degrees()) {
            belowMean += d < graph.meanDegree() ? 1 : 0;
        }
        assertTrue(belowMean > graph.degrees().length / 2, "most concepts sit below the mean degree: " + belowMean);
        assertTrue(countHistogram[1] > countHistogram[2] && countHistogram[2] > countHistogram[4]);
        assertTrue(countHistogram[7] > 0 && countHistogram[GraphGenerator.MAX_LINK_COUNT] > 0);
    }
}
