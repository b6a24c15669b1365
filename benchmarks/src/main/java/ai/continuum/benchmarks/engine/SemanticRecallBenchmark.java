package ai.continuum.benchmarks.engine;

import ai.continuum.benchmarks.data.TurnGenerator;
import ai.continuum.engine.EngineConfig;
import ai.continuum.engine.MemoryEngine;
import ai.continuum.engine.RecallResult;
import ai.continuum.engine.Turn;
import ai.continuum.engine.semantic.StoredVectors;
import ai.continuum.engine.semantic.TextEmbedder;
import ai.continuum.engine.semantic.VectorTable;
import ai.continuum.semantic.MiniLmEmbedder;
import ai.continuum.semantic.StaticMiniLmEmbedder;
import java.util.SplittableRandom;
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
 * Recall with the optional semantic index (all-MiniLM-L6-v2 quantised, in-process, or its light form, the model's
 * token vectors summed: {@code model}) against recall without it, on one engine that holds {@code memories} turns each
 * with its real sentence vector; and what one embedding costs, which is the learn CPU the index adds per memory (learn
 * itself only queues the memory; the model runs on the embedding thread).
 *
 * <p>{@code semantic=on} embeds the query (the model) and scans every vector of the tenant (one 384-byte dot product
 * each); {@code off} is the same call with the index left out ({@code useSemantic} false, as the per-request switch).
 *
 * <p>Running the model on 100,000 texts would take most of an hour on this hardware, so the engine's memories take
 * their vectors through {@link StoredVectors} (as after a restart): the first {@value #DISTINCT} turns are embedded by
 * the model, and memory {@code i} takes the vector of turn {@code i % DISTINCT} moved by Gaussian noise of
 * {@value #NOISE} per dimension (seeded by the memory's id) and normalised again: a cosine of about 0.85 to the turn
 * it came from, as paraphrases of one topic have. Exact copies would make a nearest-neighbour graph degenerate (ties
 * everywhere); distinct vectors around {@value #DISTINCT} topics are what a long conversation history looks like to
 * the index. A brute-force scan costs the same whichever the vectors.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 4, time = 3)
@Fork(1)
public class SemanticRecallBenchmark {
    static final int DISTINCT = 256;
    /** Standard deviation of the noise added to each dimension of a unit vector of 384 (norm about 0.6). */
    static final double NOISE = 0.03;

    static final int QUERIES = 256;
    static final String TENANT = "bench";

    @State(Scope.Benchmark)
    public static class EngineState {
        @Param({"10000", "100000"})
        public int memories;

        @Param({"on", "off"})
        public String semantic;

        @Param({MiniLmEmbedder.NAME, StaticMiniLmEmbedder.NAME})
        public String model;

        MemoryEngine engine;
        String[] queries;
        boolean useSemantic;
        int next;

        @Setup(Level.Trial)
        public void load() throws InterruptedException {
            useSemantic = "on".equals(semantic);
            final TextEmbedder model = open(this.model);
            final TurnGenerator turns = new TurnGenerator(7L, 2_000, 1.0);
            final Turn[] all = new Turn[memories];
            for (int i = 0; i < memories; i++) {
                all[i] = turns.next(i + 1, 1_700_000_000_000L + i * 60_000L);
            }
            final byte[][] vectors = new byte[DISTINCT][model.dimensions()];
            final float[] scales = new float[DISTINCT];
            for (int i = 0; i < DISTINCT; i++) {
                scales[i] =
                        VectorTable.quantise(unit(model.embed(all[i].userText() + "\n" + all[i].aiText())), vectors[i]);
            }
            engine = MemoryEngine.create(EngineConfig.defaults(), System::currentTimeMillis, model);
            engine.attachStoredVectors(new StoredVectors() {
                @Override
                public void find(
                        final String tenant, final long[] ids, final int count, final String name, final Found found) {
                    final byte[] quantised = new byte[vectors[0].length];
                    for (int i = 0; i < count; i++) {
                        final float scale = perturbed(vectors, scales, ids[i], quantised);
                        found.vector(ids[i], quantised, scale);
                    }
                }

                @Override
                public void save(
                        final String tenant, final long id, final String name, final byte[] v, final float scale) {}
            });
            for (final Turn turn : all) {
                engine.learn(TENANT, turn);
            }
            if (!engine.awaitSemanticIndex(600_000)) {
                throw new IllegalStateException("the semantic index did not take every vector within 10 minutes");
            }
            queries = new String[QUERIES];
            for (int i = 0; i < QUERIES; i++) {
                // A question about one earlier turn: its first sentence, asked back.
                final String user = all[(int) ((i * 7919L) % memories)].userText();
                final int dot = user.indexOf('.');
                queries[i] = "What did we say when " + (dot > 0 ? user.substring(0, dot) : user) + "?";
            }
        }

        @TearDown(Level.Trial)
        public void close() {
            engine.close();
        }

        String nextQuery() {
            final String q = queries[next];
            next = (next + 1) & (QUERIES - 1);
            return q;
        }
    }

    /** The model alone, for the texts learn embeds. */
    @State(Scope.Benchmark)
    public static class ModelState {
        @Param({MiniLmEmbedder.NAME, StaticMiniLmEmbedder.NAME})
        public String modelName;

        TextEmbedder model;
        String[] texts;
        int next;

        @Setup(Level.Trial)
        public void load() {
            model = open(modelName);
            final TurnGenerator turns = new TurnGenerator(11L, 2_000, 1.0);
            texts = new String[QUERIES];
            for (int i = 0; i < QUERIES; i++) {
                final Turn t = turns.next(i + 1, i + 1);
                texts[i] = t.userText() + "\n" + t.aiText();
            }
        }

        @TearDown(Level.Trial)
        public void close() {
            model.close();
        }
    }

    @Benchmark
    public RecallResult recall(final EngineState state) {
        return state.engine.recall(TENANT, state.nextQuery(), 10, 10, state.useSemantic);
    }

    /** One memory's embedding: the CPU the semantic index adds to every learn, off learn's request path. */
    @Benchmark
    public float[] embedTurn(final ModelState state) {
        final String text = state.texts[state.next];
        state.next = (state.next + 1) & (QUERIES - 1);
        return state.model.embed(text);
    }

    static TextEmbedder open(final String name) {
        return switch (name) {
            case MiniLmEmbedder.NAME -> new MiniLmEmbedder();
            case StaticMiniLmEmbedder.NAME -> new StaticMiniLmEmbedder();
            default -> throw new IllegalArgumentException("no model " + name);
        };
    }

    /**
     * Memory {@code id}'s vector: the vector of turn {@code id % DISTINCT} plus {@link #NOISE}, unit again, quantised
     * into {@code into}; its scale.
     */
    static float perturbed(final byte[][] vectors, final float[] scales, final long id, final byte[] into) {
        final int d = (int) (id % DISTINCT);
        final SplittableRandom random = new SplittableRandom(id);
        final float[] v = new float[into.length];
        for (int j = 0; j < v.length; j++) {
            v[j] = (float) (vectors[d][j] * scales[d] + random.nextGaussian() * NOISE);
        }
        return VectorTable.quantise(unit(v), into);
    }

    private static float[] unit(final float[] v) {
        double norm = 0;
        for (final float x : v) {
            norm += x * x;
        }
        final float inv = norm == 0 ? 1f : (float) (1.0 / Math.sqrt(norm));
        final float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] * inv;
        }
        return out;
    }
}
