package ai.continuum.benchmarks.data;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Recall queries over a {@link GeneratedGraph}: each names one or two existing concepts by their display names, half
 * of them hubs (the top percent of concepts by degree) and half drawn uniformly (mostly the long tail). The filler
 * words are query stop words or shorter than four letters, so a query's terms are the concept names alone.
 */
public final class QuerySet {
    private static final double HUB_SHARE = 0.5;
    private static final double TWO_CONCEPT_SHARE = 0.5;

    private QuerySet() {}

    /**
     * One query.
     *
     * @param text the message as a user would write it.
     * @param keys the normalised keys of the concepts it names, for the engine's key-level entry points.
     */
    @SuppressWarnings("ArrayRecordComponent") // keys is read by index in the benchmark loop; never compared
    public record Query(String text, String[] keys) {}

    /** {@code count} queries, a pure function of the graph and {@code seed}. */
    public static Query[] build(final GeneratedGraph graph, final int count, final long seed) {
        final int[] hubs = hubs(graph.degrees(), Math.max(1, graph.size().concepts() / 100));
        final SplittableRandom random = new SplittableRandom(seed);
        final ConceptNames names = graph.names();
        final Query[] queries = new Query[count];
        for (int q = 0; q < count; q++) {
            final int a = pick(random, hubs, graph.size().concepts());
            if (random.nextDouble() < TWO_CONCEPT_SHARE) {
                int b = a;
                while (b == a) {
                    b = pick(random, hubs, graph.size().concepts());
                }
                queries[q] = new Query(
                        "What about " + names.displayName(a) + " and " + names.displayName(b) + "?",
                        new String[] {names.key(a), names.key(b)});
            } else {
                queries[q] = new Query("What about " + names.displayName(a) + "?", new String[] {names.key(a)});
            }
        }
        return queries;
    }

    /** Ids of the {@code count} concepts of highest degree, highest first (ties: smaller id first). */
    public static int[] hubs(final int[] degrees, final int count) {
        final long[] packed = new long[degrees.length];
        for (int id = 0; id < degrees.length; id++) {
            packed[id] = ((long) (Integer.MAX_VALUE - degrees[id]) << 32) | id;
        }
        Arrays.sort(packed);
        final int[] hubs = new int[Math.min(count, degrees.length)];
        for (int i = 0; i < hubs.length; i++) {
            hubs[i] = (int) packed[i];
        }
        return hubs;
    }

    private static int pick(final SplittableRandom random, final int[] hubs, final int concepts) {
        return random.nextDouble() < HUB_SHARE ? hubs[random.nextInt(hubs.length)] : random.nextInt(concepts);
    }
}
