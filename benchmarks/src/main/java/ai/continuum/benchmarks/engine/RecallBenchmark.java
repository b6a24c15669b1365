package ai.continuum.benchmarks.engine;

import ai.continuum.benchmarks.data.ConceptNames;
import ai.continuum.benchmarks.data.GraphGenerator;
import ai.continuum.benchmarks.data.GraphSize;
import ai.continuum.benchmarks.data.QuerySet;
import ai.continuum.benchmarks.data.QuerySet.Query;
import ai.continuum.engine.MemoryEngine;
import ai.continuum.engine.RecallOutput;
import ai.continuum.engine.RecallResult;
import ai.continuum.engine.ResonanceCursor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Engine recall latency, docs/DESIGN.md section 8: depth 2, 10 neighbours per hop (the defaults), on the 100k/500k and 1M/5M graphs.
 * Target at 1M/5M: p50 <= 20 us, p99 <= 100 us, zero allocation on the hot path ({@code -prof gc}, read
 * {@code gc.alloc.rate.norm}).
 *
 * <p>Queries come from a fixed array of {@value #QUERIES} strings naming one or two existing concepts, hubs and tail
 * concepts alike, taken in turn. {@link #recallConceptsOnly} asks for no memories, which isolates their cost.
 * {@link #resonate} is the engine's allocation-free graph walk (seed, spread, rank; no text), the hot path the latency
 * and zero-allocation targets pin. {@link #heapBaseline} runs the same spreading activation over plain on-heap arrays
 * ({@link HeapGraph}) as a floor for what the graph walk itself costs in Java.
 *
 * <p>{@code names}: {@code unique} names never share a first word, so a word of a query matches one concept;
 * {@code shared} names are 2-3 words drawn Zipf from a shared vocabulary ({@link ConceptNames.Kind#SHARED}), so the
 * partial (word) matches of recall fan out as on real names. Every target holds on both.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(1)
public class RecallBenchmark {
    static final int QUERIES = 4096;
    static final long QUERY_SEED = 42L;

    /** The loaded engine, built once per trial and shared by the measuring thread. */
    @State(Scope.Benchmark)
    public static class EngineState {
        @Param({"100k/500k", "1M/5M"})
        public String graph;

        @Param({"unique", "shared"})
        public String names;

        MemoryEngine engine;
        ResonanceCursor cursor;
        /** The last recall's answer and context block, reused as the HTTP layer reuses its buffers. */
        final RecallOutput output = RecallOutput.shownTextsOnly();

        final StringBuilder context = new StringBuilder(4096);

        Query[] queries;
        int next;

        @Setup(Level.Trial)
        public void load() {
            final GraphFixture fixture = GraphFixture.load(GraphSize.parse(graph), ConceptNames.Kind.parse(names));
            engine = fixture.engine();
            cursor = engine.newResonanceCursor();
            queries = QuerySet.build(fixture.graph(), QUERIES, QUERY_SEED);
        }

        @TearDown(Level.Trial)
        public void close() {
            engine.close();
        }

        Query nextQuery() {
            final Query q = queries[next];
            next = (next + 1) & (QUERIES - 1);
            return q;
        }
    }

    /** The same graph on the Java heap, for the baseline. */
    @State(Scope.Benchmark)
    public static class HeapState {
        @Param({"100k/500k", "1M/5M"})
        public String graph;

        @Param({"unique", "shared"})
        public String names;

        HeapGraph heap;
        Query[] queries;
        int next;

        @Setup(Level.Trial)
        public void load() {
            final HeapGraph.Builder builder = new HeapGraph.Builder();
            queries = QuerySet.build(
                    new GraphGenerator(GraphSize.parse(graph), GraphFixture.SEED, ConceptNames.Kind.parse(names))
                            .generate(builder::accept),
                    QUERIES,
                    QUERY_SEED);
            heap = builder.build();
        }

        Query nextQuery() {
            final Query q = queries[next];
            next = (next + 1) & (QUERIES - 1);
            return q;
        }
    }

    /**
     * The full recall as the HTTP layer makes it: written into a reused output ({@link RecallOutput}), its context
     * block into a reused builder, so the decoding and the rendering stay in the measured work.
     */
    @Benchmark
    public RecallOutput recall(final EngineState state) {
        final RecallOutput out = state.output;
        state.engine.recall(
                GraphFixture.TENANT,
                state.nextQuery().text(),
                state.engine.config().maxConcepts(),
                state.engine.config().maxMemories(),
                true,
                out);
        out.writeContext(state.context);
        return out;
    }

    /** The same recall returned as values a caller keeps ({@link RecallResult}: the CLI, MCP and the evaluation). */
    @Benchmark
    public RecallResult recallValues(final EngineState state) {
        final RecallResult r =
                state.engine.recall(GraphFixture.TENANT, state.nextQuery().text());
        r.writeContext(state.context);
        return r;
    }

    /** The same recall without memories: concepts, relationships and context only, to show what memories cost. */
    @Benchmark
    public RecallOutput recallConceptsOnly(final EngineState state) {
        final RecallOutput out = state.output;
        state.engine.recall(
                GraphFixture.TENANT,
                state.nextQuery().text(),
                state.engine.config().maxConcepts(),
                0,
                true,
                out);
        out.writeContext(state.context);
        return out;
    }

    /** The graph walk alone: seeds the query's keys, spreads, ranks the best maxConcepts into a reused cursor. */
    @Benchmark
    public int resonate(final EngineState state) {
        final Query q = state.nextQuery();
        return state.engine.resonate(
                GraphFixture.TENANT,
                q.keys(),
                q.keys().length,
                state.engine.config().maxConcepts(),
                state.cursor);
    }

    @Benchmark
    public int heapBaseline(final HeapState state) {
        return state.heap.resonate(state.nextQuery().text());
    }
}
