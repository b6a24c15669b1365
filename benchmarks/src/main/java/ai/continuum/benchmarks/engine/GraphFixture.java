package ai.continuum.benchmarks.engine;

import ai.continuum.benchmarks.data.ConceptNames;
import ai.continuum.benchmarks.data.GeneratedGraph;
import ai.continuum.benchmarks.data.GraphGenerator;
import ai.continuum.benchmarks.data.GraphSize;
import ai.continuum.engine.EngineConfig;
import ai.continuum.engine.MemoryEngine;

/**
 * An engine loaded with one tenant's synthetic graph: the setup of the recall benchmarks. The seed is fixed so every
 * run, on every machine, loads the same graph; the footprint probe loads the same seed into the same tenant.
 *
 * @param engine the loaded engine; the caller closes it.
 * @param graph  what was loaded.
 */
public record GraphFixture(MemoryEngine engine, GeneratedGraph graph) {
    public static final String TENANT = "bench";
    public static final long SEED = 20_261_127L;

    /** Creates an engine sized for {@code size} and loads the whole graph through its rebuild path (bulk load). */
    public static GraphFixture load(final GraphSize size) {
        return load(size, ConceptNames.Kind.UNIQUE);
    }

    /** As {@link #load(GraphSize)}, with the given kind of concept names. */
    public static GraphFixture load(final GraphSize size, final ConceptNames.Kind names) {
        final MemoryEngine engine =
                MemoryEngine.create(EngineConfig.defaults().withExpectedConcepts(Math.max(1024, size.concepts())));
        final GeneratedGraph graph;
        try (MemoryEngine.BulkLoad bulk = engine.bulkLoad()) {
            graph = new GraphGenerator(size, SEED, names).generate(delta -> bulk.apply(TENANT, delta));
        }
        return new GraphFixture(engine, graph);
    }
}
