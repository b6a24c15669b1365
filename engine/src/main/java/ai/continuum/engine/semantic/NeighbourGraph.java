package ai.continuum.engine.semantic;

import io.github.jbellis.jvector.graph.GraphIndexBuilder;
import io.github.jbellis.jvector.graph.GraphSearcher;
import io.github.jbellis.jvector.graph.SearchResult;
import io.github.jbellis.jvector.graph.similarity.BuildScoreProvider;
import io.github.jbellis.jvector.graph.similarity.DefaultSearchScoreProvider;
import io.github.jbellis.jvector.graph.similarity.ScoreFunction;
import io.github.jbellis.jvector.graph.similarity.SearchScoreProvider;
import io.github.jbellis.jvector.util.Bits;
import io.github.jbellis.jvector.vector.types.VectorFloat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ForkJoinPool;
import java.util.function.IntPredicate;
import java.util.function.IntUnaryOperator;

/**
 * An approximate nearest-neighbour graph over one tenant's vectors: jvector's hierarchical graph (HNSW layers over a
 * Vamana-pruned base layer), built one node at a time as vectors arrive. A node is an ordinal, the vector's position
 * in the tenant's list ({@link TenantVectors}); the graph keeps only neighbour lists, and every score it needs is
 * computed from the int8 vectors in the {@link VectorTable} (no float copy of any vector: a copy would quadruple
 * the vectors' memory).
 *
 * <p>Scores given to the graph are {@code (1 + cosine) / 2}, as jvector's own dot-product similarity: its neighbour
 * pruning multiplies scores by {@link #ALPHA}, which only keeps its meaning for scores above 0. A search returns the
 * cosine itself, recomputed for the k results, so a memory's similarity is the same number whichever way it was found.
 *
 * <p>Thread model: {@link #add} by one writer at a time, ordinals in order (0, 1, 2, ...); {@link #search} from any
 * thread, concurrently with it. jvector's on-heap graph is made for this: neighbour lists are replaced atomically and
 * a search walks only nodes whose insertion completed. {@link #size} is written after a node's insertion completed, so
 * a reader that limits its search to ordinals below the size it read sees each of them complete, and none twice.
 */
final class NeighbourGraph {
    /**
     * Neighbours kept per node: with the beams below, recall@10 against the exact scan is 0.99 on 100,000 clustered
     * vectors (RESULTS.md, "Semantic index, round four"); each neighbour costs heap (an int and a float score).
     */
    static final int DEGREE = 16;

    /** Candidates kept while inserting a node: wider builds a better graph, at a cost paid once per vector. */
    static final int BUILD_BEAM = 100;

    /** How far a node's neighbour list may overflow {@link #DEGREE} before it is pruned back (jvector's default). */
    static final float OVERFLOW = 1.2f;

    /** Diversity of neighbour lists (Vamana's alpha, jvector's default for high dimensions). */
    static final float ALPHA = 1.2f;

    /** Candidates a search keeps before returning its best k: the recall/latency trade of a query. */
    static final int SEARCH_BEAM = 100;

    /** jvector's choice of vector arithmetic: "default" (plain Java), "panama" or "native". */
    private static final String VECTORISATION_PROPERTY = "jvector.vectorization_provider";

    static {
        // Every score is ours (int8, QuantisedDot): jvector's own vector arithmetic is never called, so it is told to
        // take its plain-Java provider rather than extract its bundled native library and probe the CPU at first use.
        // Set before any jvector class loads (none is reached before this class); an explicit setting wins.
        if (System.getProperty(VECTORISATION_PROPERTY) == null) {
            System.setProperty(VECTORISATION_PROPERTY, "default");
        }
    }

    private final VectorTable vectors;
    /** Ordinal to memory index: the tenant's list, read at each score (it may have grown since the last). */
    private final IntUnaryOperator indexOf;

    private final GraphIndexBuilder builder;
    /** Ordinals {@code [0, size)} are in the graph, each insertion complete. Written by the writer only. */
    private volatile int size;

    NeighbourGraph(final VectorTable vectors, final IntUnaryOperator indexOf) {
        this.vectors = vectors;
        this.indexOf = indexOf;
        // Nodes are inserted on the caller's thread; the pools serve bulk builds and clean-ups, which this graph never
        // runs. Naming the common pool keeps jvector from sizing a pool of its own by probing the CPU's cores.
        this.builder = new GraphIndexBuilder(
                new Scores(),
                vectors.dimensions(),
                DEGREE,
                BUILD_BEAM,
                OVERFLOW,
                ALPHA,
                true,
                false,
                ForkJoinPool.commonPool(),
                ForkJoinPool.commonPool());
    }

    /** Writer: adds the next ordinal (equal to {@link #size()}), whose vector and list entry are already written. */
    void add(final int ordinal) {
        if (ordinal != size) {
            throw new IllegalStateException("ordinal " + ordinal + " added to a graph of " + size);
        }
        builder.addGraphNode(ordinal, new DefaultSearchScoreProvider(new NodeScores(ordinal)));
        size = ordinal + 1;
    }

    /** Ordinals in the graph. */
    int size() {
        return size;
    }

    /**
     * The (at most) {@code k} memories nearest the query among ordinals below {@code limit} (at most {@link #size()}
     * as read by the caller) whose memory index {@code accept} takes, into {@code outIndex/outSimilarity} highest
     * cosine first; returns how many.
     */
    int search(
            final byte[] query,
            final float queryScale,
            final int k,
            final int limit,
            final IntPredicate accept,
            final int[] outIndex,
            final float[] outSimilarity,
            final byte[] scratch) {
        final Bits accepted = ordinal -> ordinal < limit && accept.test(indexOf.applyAsInt(ordinal));
        final SearchResult result;
        try (GraphSearcher searcher = new GraphSearcher(builder.getGraph())) {
            result = searcher.search(
                    new DefaultSearchScoreProvider(new QueryScores(query, queryScale)),
                    k,
                    Math.max(k, SEARCH_BEAM),
                    0f,
                    0f,
                    accepted);
        } catch (final IOException e) {
            throw new UncheckedIOException(e); // an on-heap graph reads no file: never thrown
        }
        int found = 0;
        for (final SearchResult.NodeScore node : result.getNodes()) {
            final int index = indexOf.applyAsInt(node.node);
            found = TopK.offer(
                    found, k, index, vectors.dot(query, queryScale, index, scratch), outIndex, outSimilarity);
        }
        return found;
    }

    private float score(final byte[] vector, final float scale, final int ordinal, final byte[] scratch) {
        return (1f + vectors.dot(vector, scale, indexOf.applyAsInt(ordinal), scratch)) * 0.5f;
    }

    /** Scores against a query vector; one per search (its scratch is not shared). */
    private final class QueryScores implements ScoreFunction.ExactScoreFunction {
        private final byte[] query;
        private final float queryScale;
        private final byte[] scratch = new byte[vectors.dimensions()];

        QueryScores(final byte[] query, final float queryScale) {
            this.query = query;
            this.queryScale = queryScale;
        }

        @Override
        public float similarityTo(final int ordinal) {
            return score(query, queryScale, ordinal, scratch);
        }
    }

    /** Scores against the stored vector of one node, read once; for inserting it and pruning neighbour lists. */
    private final class NodeScores implements ScoreFunction.ExactScoreFunction {
        private final byte[] vector = new byte[vectors.dimensions()];
        private final float scale;
        private final byte[] scratch = new byte[vectors.dimensions()];

        NodeScores(final int ordinal) {
            this.scale = vectors.read(indexOf.applyAsInt(ordinal), vector);
        }

        @Override
        public float similarityTo(final int ordinal) {
            return score(vector, scale, ordinal, scratch);
        }
    }

    /**
     * What the builder scores by: nodes against nodes, from the stored vectors. Nodes are always added with their
     * own {@link NodeScores}, so the builder never asks for a float vector or a centroid.
     */
    private final class Scores implements BuildScoreProvider {
        @Override
        public boolean isExact() {
            return true;
        }

        @Override
        public VectorFloat<?> approximateCentroid() {
            throw new UnsupportedOperationException("the graph is built from stored int8 vectors only");
        }

        @Override
        public SearchScoreProvider searchProviderFor(final VectorFloat<?> vector) {
            throw new UnsupportedOperationException("the graph is built from stored int8 vectors only");
        }

        @Override
        public SearchScoreProvider searchProviderFor(final int ordinal) {
            return new DefaultSearchScoreProvider(new NodeScores(ordinal));
        }

        @Override
        public SearchScoreProvider diversityProviderFor(final int ordinal) {
            return new DefaultSearchScoreProvider(new NodeScores(ordinal));
        }
    }
}
