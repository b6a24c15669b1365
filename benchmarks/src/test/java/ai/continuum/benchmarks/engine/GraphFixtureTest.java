package ai.continuum.benchmarks.engine;

import ai.continuum.benchmarks.data.GraphGenerator;
import ai.continuum.benchmarks.data.GraphSize;
import ai.continuum.benchmarks.data.QuerySet;
import ai.continuum.engine.RecallResult;
import ai.continuum.engine.TenantStats;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GraphFixtureTest {
    @Test
    void shouldLoadEveryGeneratedRecordIntoTheEngineAndRecallItsConcepts() {
        final GraphSize size = new GraphSize(3_000, 15_000);
        final GraphFixture fixture = GraphFixture.load(size);
        try (var engine = fixture.engine()) {
            final TenantStats stats = engine.stats(GraphFixture.TENANT);
            assertEquals(size.concepts(), stats.concepts());
            assertEquals(size.links(), stats.links());
            assertEquals(fixture.graph().memories(), stats.memories());
            assertTrue(engine.offHeapBytes() > 0);
            for (final String query : QuerySet.build(fixture.graph(), 50, 1L)) {
                final RecallResult result = engine.recall(GraphFixture.TENANT, query);
                assertFalse(result.concepts().isEmpty(), query);
                assertTrue(result.concepts().size() <= engine.config().maxConcepts());
            }
        }
    }

    @Test
    void shouldActivateTheSameNeighbourhoodInTheHeapBaseline() {
        final HeapGraph.Builder builder = new HeapGraph.Builder();
        final var graph = new GraphGenerator(new GraphSize(3_000, 15_000),
            GraphFixture.SEED).generate(builder::accept);
        final HeapGraph heap = builder.build();
        final int hub = QuerySet.hubs(graph.degrees(), 1)[0];
        final int touched = heap.resonate("What about " + graph.names().displayName(hub) + "?");
        // Seed, its ten strongest neighbours, then at most ten of theirs each.
        assertTrue(touched > 11 && touched <= 111, "touched " + touched);
        assertEquals(touched, heap.resonate("What about " + graph.names().displayName(hub) + "?"));
        assertEquals(0, heap.resonate("What about nothing?"));
    }
}
