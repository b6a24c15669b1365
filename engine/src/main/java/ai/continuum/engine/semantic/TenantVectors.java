package ai.continuum.engine.semantic;

import java.util.Arrays;
import java.util.function.IntPredicate;

/**
 * One tenant's memories with a vector, and how a query finds the nearest of them. {@code list[0..count)} holds their
 * memory indexes in the order their vectors arrived; a memory's position there is its ordinal in the graph.
 *
 * <p>Below {@link #threshold} vectors a search scans them all: exact, and at a few thousand 384-byte dot products
 * (well under a millisecond) no graph would be faster. When the tenant reaches the threshold, the writer builds a
 * {@link NeighbourGraph} over every ordinal so far, then adds each later vector to it as it arrives: a search then
 * walks the graph (a few thousand dot products whatever the tenant's size) instead of scanning.
 *
 * <p>Thread model: {@link #add} by one writer at a time (the index's storing lock); {@link #search} from any thread,
 * concurrently. The writer writes, in order: the vector (its caller), the list entry, {@link #count}, then the graph
 * node and the graph's size. A reader reads the graph's size, then {@link #count}, then {@link #list}: every entry
 * below the count is complete, the graph covers ordinals {@code [0, covered)} and the reader scans the tail
 * {@code [covered, count)} the graph does not cover yet (the vectors added since, at most a few, or all while the
 * first graph is being built), so a search misses no vector it could see and returns none twice.
 */
final class TenantVectors {
    /** Vectors from which the tenant has a centre ({@link VectorCentre}): below, the mean is mostly each vector. */
    static final int MIN_CENTRED = 16;

    /**
     * The published centre leaves out at most this fraction of the tenant's vectors (1 / this): one vector moves the
     * mean by about 1 / count, so a new centre per vector would change nothing a recall can tell, at a copy each.
     */
    private static final int CENTRE_STALENESS = 64;

    private final VectorTable vectors;
    /** Vectors at which the tenant gets its graph; at least 1. */
    private final int threshold;

    /**
     * Writer's: the per-dimension sum of every vector added, forgotten memories' included (they stay in the list and
     * the graph too). Floats, 1.5 KB per tenant: their rounding (a random walk of half an ulp per vector, about
     * 1e-5 of the mean at a million vectors) stays far below the quantisation of the centre itself (1/127 of its
     * largest dimension).
     */
    private final float[] sum;
    /** Null below {@link #MIN_CENTRED} vectors; replaced whole. */
    private volatile VectorCentre centre;

    private volatile int[] list = new int[16];
    private volatile int count;
    /** Null below the threshold; published once it covers every ordinal of the tenant at that time. */
    private volatile NeighbourGraph graph;

    TenantVectors(final VectorTable vectors, final int threshold) {
        if (threshold < 1) {
            throw new IllegalArgumentException("threshold=" + threshold + " must be at least 1");
        }
        this.vectors = vectors;
        this.threshold = threshold;
        this.sum = new float[vectors.dimensions()];
    }

    /** Writer: the memory at {@code index}, whose vector is written, is the tenant's next. */
    void add(final int index) {
        final int n = count;
        if (n == list.length) {
            list = Arrays.copyOf(list, n * 2);
        }
        list[n] = index;
        count = n + 1; // volatile write: the entry and its vector are visible to a reader of count
        addToCentre(index, n + 1);
        final NeighbourGraph g = graph;
        if (g != null) {
            g.add(n);
        } else if (n + 1 >= threshold) {
            final NeighbourGraph built = new NeighbourGraph(vectors, this::indexAt);
            for (int ordinal = 0; ordinal <= n; ordinal++) {
                built.add(ordinal);
            }
            graph = built;
        }
    }

    private void addToCentre(final int index, final int total) {
        vectors.addTo(index, sum);
        final VectorCentre published = centre;
        if (total >= MIN_CENTRED && (published == null || (total - published.count()) * CENTRE_STALENESS >= total)) {
            centre = VectorCentre.of(sum, total);
        }
    }

    /** The mean of the tenant's vectors, at most a 64th of them behind; null below {@link #MIN_CENTRED} vectors. */
    VectorCentre centre() {
        return centre;
    }

    /** Vectors of this tenant. */
    int count() {
        return count;
    }

    /** Whether searches walk a graph rather than scan. */
    boolean graphed() {
        return graph != null;
    }

    /**
     * The (at most) {@code k} memories whose vectors are closest to the query (cosine, highest first) among those
     * {@code accept} takes, into {@code outIndex/outSimilarity}; returns how many. Exact below the threshold;
     * approximate above it, for the ordinals the graph covers.
     */
    int search(
            final byte[] query,
            final float queryScale,
            final int k,
            final IntPredicate accept,
            final int[] outIndex,
            final float[] outSimilarity,
            final byte[] scratch) {
        if (k < 1) {
            return 0;
        }
        final NeighbourGraph g = graph;
        final int covered = g == null ? 0 : g.size(); // read before count: count is then at least as large
        final int n = count; // read before the list: the list is then at least as new
        final int[] entries = list;
        int size = covered == 0 ? 0 : g.search(query, queryScale, k, covered, accept, outIndex, outSimilarity, scratch);
        for (int i = covered; i < n; i++) {
            final int index = entries[i];
            if (accept.test(index)) {
                size = TopK.offer(
                        size, k, index, vectors.dot(query, queryScale, index, scratch), outIndex, outSimilarity);
            }
        }
        return size;
    }

    /** The memory index of an ordinal below a count read earlier (any thread). */
    private int indexAt(final int ordinal) {
        return list[ordinal];
    }
}
