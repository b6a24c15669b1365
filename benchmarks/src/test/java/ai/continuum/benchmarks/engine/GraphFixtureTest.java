package ai.continuum.benchmarks.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.benchmarks.data.GraphGenerator;
import ai.continuum.benchmarks.data.GraphSize;
import ai.continuum.benchmarks.data.QuerySet;
import ai.continuum.engine.RecallResult;
import ai.continuum.engine.ResonanceCursor;
import ai.continuum.engine.TenantStats;
import org.junit.jupiter.api.Test;

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
            final ResonanceCursor cursor = engine.newResonanceCursor();
            for (final QuerySet.Query query : QuerySet.build(fixture.graph(), 50, 1L)) {
                final RecallResult result = engine.recall(GraphFixture.TENANT, query.text());
                assertFalse(result.concepts().isEmpty(), query.text());
                assertTrue(result.concepts().size() <= engine.config().maxConcepts());
                final int ranked = engine.resonate(GraphFixture.TENANT, query.keys(), query.keys().length, 10, cursor);
                assertTrue(ranked > query.keys().length, "the walk reaches neighbours of " + query.text());
                assertEquals(1.0, cursor.activation(0));
            }
        }
    }

    @Test
    void shouldActivateTheSameNeighbourhoodInTheHeapBaseline() {
        final HeapGraph.Builder builder = new HeapGraph.Builder();
        final var graph = new GraphGenerator(new GraphSize(3_000, 15_000), GraphFixture.SEED).generate(builder::accept);
        final HeapGraph heap = builder.build();
        final int hub = QuerySet.hubs(graph.degrees(), 1)[0];
        final int touched = heap.resonate("What about " + graph.names().displayName(hub) + "?");
        // Seed, its ten strongest neighbours, then at most ten of theirs each.
        assertTrue(touched > 11 && touched <= 111, "touched " + touched);
        assertEquals(touched, heap.resonate("What about " + graph.names().displayName(hub) + "?"));
        assertEquals(0, heap.resonate("What about nothing?"));
    }
}
