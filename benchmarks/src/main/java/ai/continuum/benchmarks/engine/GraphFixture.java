package ai.continuum.benchmarks.engine;

import ai.continuum.benchmarks.data.GeneratedGraph;
import ai.continuum.benchmarks.data.GraphGenerator;
import ai.continuum.benchmarks.data.GraphSize;
import ai.continuum.engine.EngineConfig;
import ai.continuum.engine.MemoryEngine;

/**
 * An engine loaded with one tenant's synthetic graph: the shared setup of the recall benchmarks and the footprint
 * probe. The seed is fixed so every run, on every machine, loads the same graph.
 *
 * @param engine      the loaded engine; the caller closes it.
 * @param graph       what was loaded.
 * @param loadNanos   time spent in {@link MemoryEngine#apply} for all chunks (generation excluded).
 */
public record GraphFixture(MemoryEngine engine, GeneratedGraph graph, long loadNanos) {
    public static final String TENANT = "bench";
    public static final long SEED = 20_261_127L;

    /** Creates an engine sized for {@code size} and applies the whole graph to it. */
    public static GraphFixture load(final GraphSize size) {
        final MemoryEngine engine = MemoryEngine.create(
            EngineConfig.defaults().withExpectedConcepts(Math.max(1024, size.concepts())));
        final long[] applyNanos = new long[1];
        final GeneratedGraph graph = new GraphGenerator(size, SEED).generate(delta -> {
            final long start = System.nanoTime();
            engine.apply(TENANT, delta);
            applyNanos[0] += System.nanoTime() - start;
        });
        return new GraphFixture(engine, graph, applyNanos[0]);
    }
}
