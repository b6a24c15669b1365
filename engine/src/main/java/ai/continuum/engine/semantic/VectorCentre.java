package ai.continuum.engine.semantic;

/**
 * The mean of one tenant's sentence vectors (its centre), quantised as stored vectors are, and the cosine of a query
 * and a memory once the centre is taken from both.
 *
 * <p>Why: sentence vectors of one conversation share a common direction, and small talk that says nothing in
 * particular ("What did you do this week?", "Haha, yes, totally.") lies close to it, so by plain cosine it is near
 * every question. In a chatty tenant such a turn is the nearest memory of many questions (a hub) and takes the
 * semantic evidence from the turn that answers. Taken from both sides, the centre leaves what sets a memory apart from
 * the tenant's usual talk, and what the question asks beyond it: on the hard development set, open-domain hit@5 rose
 * from 0.625 to 0.812 (RESULTS.md, "Semantic index, round six").
 *
 * <p>Immutable: {@link TenantVectors} publishes a new centre as vectors arrive. Both vectors of a product are unit
 * vectors (to within quantisation), so with {@code c} the centre:
 * {@code cos(q - c, m - c) = (q.m - q.c - m.c + c.c) / sqrt((1 - 2 q.c + c.c) (1 - 2 m.c + c.c))}.
 */
public final class VectorCentre {
    /**
     * See {@link #standsApart}. The questions of the evaluation sets are at squared distances of 0.55-1.24 from their
     * tenant's centre (median 0.79-1.00 per set); one about the only topic of a tenant is near 0.
     */
    static final double MIN_DISTANCE_SQUARED = 0.25;

    private final byte[] quantised;
    private final float scale;
    private final float normSquared;
    private final int count;

    private VectorCentre(final byte[] quantised, final float scale, final int count) {
        this.quantised = quantised;
        this.scale = scale;
        this.normSquared = QuantisedDot.dot(quantised, quantised, quantised.length) * scale * scale;
        this.count = count;
    }

    /** The centre of {@code count} vectors whose per-dimension sum is {@code sum}. */
    static VectorCentre of(final float[] sum, final int count) {
        final float[] mean = new float[sum.length];
        for (int d = 0; d < sum.length; d++) {
            mean[d] = (float) (sum[d] / count);
        }
        final byte[] quantised = new byte[sum.length];
        return new VectorCentre(quantised, VectorTable.quantise(mean, quantised), count);
    }

    /** How many vectors it is the mean of. */
    public int count() {
        return count;
    }

    /** Dot product of the centre with a vector quantised as stored ones are. */
    public double dot(final VectorTable vectors, final byte[] v, final float vScale) {
        return vectors.dot(v, vScale, quantised, scale);
    }

    /**
     * Whether a unit vector with this dot product with the centre is far enough from it (squared distance at least
     * {@link #MIN_DISTANCE_SQUARED}) for cosines without the centre to mean something. A question about what nearly
     * every turn of the tenant says (a tenant of one topic) lies at the centre; taking the centre from it leaves
     * little but quantisation noise.
     */
    public boolean standsApart(final double dotCentre) {
        return 1 - 2 * dotCentre + normSquared >= MIN_DISTANCE_SQUARED;
    }

    /**
     * The cosine of unit vectors {@code a} and {@code b} with the centre taken from both, from their dot product and
     * each one's dot product with the centre. A vector at the centre says nothing in particular: -1, nearest nothing.
     */
    public double centred(final double ab, final double aDotCentre, final double bDotCentre) {
        final double product = (1 - 2 * aDotCentre + normSquared) * (1 - 2 * bDotCentre + normSquared);
        return product <= 1e-9 ? -1 : (ab - aDotCentre - bDotCentre + normSquared) / Math.sqrt(product);
    }

    /**
     * Ranks a search's result, {@code poolIndex/poolSimilarity[0..n)} (memory index and plain cosine with the query),
     * by cosine with the centre taken from both ({@link #centred}), and keeps the best {@code k}, highest first, in
     * {@code outIndex/outSimilarity} (arrays other than the pool's). Allocates nothing.
     *
     * @param queryDotCentre the query's {@link #dot} with the centre.
     * @param scratch a buffer of {@link VectorTable#dimensions()} bytes.
     * @return how many were kept: {@code min(n, k)}.
     */
    public int rerank(
            final VectorTable vectors,
            final double queryDotCentre,
            final int n,
            final int[] poolIndex,
            final float[] poolSimilarity,
            final int k,
            final int[] outIndex,
            final float[] outSimilarity,
            final byte[] scratch) {
        int size = 0;
        for (int i = 0; i < n; i++) {
            final double memoryDotCentre = vectors.dot(quantised, scale, poolIndex[i], scratch);
            final float centred = (float) centred(poolSimilarity[i], queryDotCentre, memoryDotCentre);
            size = TopK.offer(size, k, poolIndex[i], centred, outIndex, outSimilarity);
        }
        return size;
    }
}
