package ai.continuum.engine.semantic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;

/**
 * A tenant's search: exact below the graph threshold, and from it on a graph that finds what a scan finds (exactly
 * when the nearest stand apart, at recall@10 of 0.95 or more on a clustered set like sentence vectors), while vectors
 * are added and searched at once, and never returns a memory the caller rejects.
 */
class TenantVectorsTest {
    private static final int DIMS = 384;
    private static final IntPredicate ALL = index -> true;

    @Test
    void scansBelowTheThresholdAndBuildsTheGraphAtIt() {
        final VectorTable table = new VectorTable(DIMS);
        final TenantVectors tenant = new TenantVectors(table, 500);
        final TenantVectors exact = scanOnly(table);
        final SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < 499; i++) {
            add(table, i * 3, unit(random), tenant, exact);
        }
        assertFalse(tenant.graphed(), "499 vectors: below the threshold");
        final float[] query = unit(random);
        assertArrayEquals(nearest(exact, query, 10), nearest(tenant, query, 10), "below the threshold: the exact scan");

        add(table, 499 * 3, unit(random), tenant);
        assertTrue(tenant.graphed(), "the 500th vector builds the graph");
        assertEquals(500, tenant.count());
        for (int i = 0; i < 500; i += 37) {
            assertEquals(i * 3, nearest(tenant, vectorOf(table, i * 3), 1)[0], "every vector so far is in the graph");
        }
        add(table, 5_000, unit(random), tenant);
        assertEquals(5_000, nearest(tenant, vectorOf(table, 5_000), 1)[0], "a vector added after is found");
    }

    @Test
    void theGraphReturnsTheExactTopKWhenTheNearestStandApart() {
        final VectorTable table = new VectorTable(DIMS);
        final TenantVectors graphed = new TenantVectors(table, 1);
        final TenantVectors exact = scanOnly(table);
        final SplittableRandom random = new SplittableRandom(2);
        final int clusters = 200;
        final int members = 20;
        final float[][] centres = new float[clusters][];
        // Member j of a cluster lies at cosine 0.98 - 0.03 j from its centre: the k nearest of a centre are its first
        // k members in order, each 0.03 apart, far above the quantisation's 0.01.
        for (int c = 0; c < clusters; c++) {
            centres[c] = unit(random);
        }
        for (int j = 0; j < members; j++) {
            for (int c = 0; c < clusters; c++) {
                final int index = j * clusters + c;
                add(table, index, around(centres[c], 0.98 - 0.03 * j, random), graphed, exact);
            }
        }
        assertTrue(graphed.graphed());
        for (int c = 0; c < clusters; c++) {
            final int[] expected = nearest(exact, centres[c], 10);
            for (int j = 0; j < 10; j++) {
                assertEquals(j * clusters + c, expected[j], "the set is as built");
            }
            assertArrayEquals(expected, nearest(graphed, centres[c], 10), "cluster " + c);
        }
    }

    @Test
    void recallAtTenOfTheGraphAgainstTheScanIsAtLeastNinetyFivePercent() {
        final VectorTable table = new VectorTable(DIMS);
        final TenantVectors graphed = new TenantVectors(table, 1_000);
        final TenantVectors exact = scanOnly(table);
        final SplittableRandom random = new SplittableRandom(3);
        // Sentence vectors gather around topics: 400 topics, each vector a topic moved by noise (cosine about 0.85 to
        // it, 0.7 between two of one topic), so the ten nearest of a query are close calls within its topic.
        final float[][] topics = new float[400][];
        for (int t = 0; t < topics.length; t++) {
            topics[t] = unit(random);
        }
        final int n = 20_000;
        for (int i = 0; i < n; i++) {
            add(table, i, noisy(topics[random.nextInt(topics.length)], random), graphed, exact);
        }
        assertTrue(graphed.graphed());
        int hits = 0;
        final int queries = 300;
        for (int q = 0; q < queries; q++) {
            final float[] query = noisy(topics[random.nextInt(topics.length)], random);
            final Set<Integer> truth = new HashSet<>();
            for (final int index : nearest(exact, query, 10)) {
                truth.add(index);
            }
            for (final int index : nearest(graphed, query, 10)) {
                hits += truth.contains(index) ? 1 : 0;
            }
        }
        final double recall = hits / (queries * 10.0);
        assertTrue(recall >= 0.95, "recall@10 " + recall);
    }

    @Test
    void searchesWhileVectorsAreAddedSeeCompleteSortedResults() throws InterruptedException {
        final VectorTable table = new VectorTable(DIMS);
        final TenantVectors tenant = new TenantVectors(table, 300);
        final int n = 4_000;
        final float[][] all = new float[n][];
        final SplittableRandom random = new SplittableRandom(4);
        final float[][] topics = new float[100][];
        for (int t = 0; t < topics.length; t++) {
            topics[t] = unit(random);
        }
        for (int i = 0; i < n; i++) {
            all[i] = noisy(topics[random.nextInt(topics.length)], random);
        }
        final AtomicBoolean done = new AtomicBoolean();
        final AtomicInteger searches = new AtomicInteger();
        final AtomicInteger missed = new AtomicInteger();
        final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        final Thread[] readers = new Thread[2];
        for (int r = 0; r < readers.length; r++) {
            final int seed = r;
            readers[r] = Thread.ofPlatform().start(() -> {
                final SplittableRandom mine = new SplittableRandom(100 + seed);
                try {
                    while (!done.get()) {
                        final int seen = tenant.count();
                        if (seen == 0) {
                            continue;
                        }
                        // A vector added before the search started is its own nearest (cosine 1 against 0.7 for
                        // the nearest other), which an approximate search may rarely miss.
                        final int target = mine.nextInt(seen);
                        final int[] found = new int[10];
                        final float[] similarity = new float[10];
                        final int size = search(tenant, all[target], 10, found, similarity);
                        searches.incrementAndGet();
                        if (size == 0 || found[0] != target) {
                            missed.incrementAndGet();
                        }
                        for (int i = 1; i < size; i++) {
                            if (similarity[i] > similarity[i - 1] || found[i] == found[i - 1] || found[i] >= n) {
                                failures.add(new AssertionError("unsorted or repeated: " + Arrays.toString(found)));
                            }
                        }
                    }
                } catch (final Throwable e) {
                    failures.add(e);
                }
            });
        }
        for (int i = 0; i < n; i++) {
            add(table, i, all[i], tenant);
        }
        done.set(true);
        for (final Thread reader : readers) {
            reader.join();
        }
        assertTrue(failures.isEmpty(), () -> failures.size() + " failures, first: " + failures.peek());
        assertTrue(tenant.graphed());
        assertTrue(searches.get() >= 100, searches + " searches during the inserts");
        assertTrue(missed.get() * 100 <= searches.get(), missed + " of " + searches + " searches missed their vector");
    }

    @Test
    void aRejectedMemoryIsNeverReturnedAndTheOthersFillItsPlace() {
        final VectorTable table = new VectorTable(DIMS);
        final TenantVectors graphed = new TenantVectors(table, 1);
        final TenantVectors exact = scanOnly(table);
        final SplittableRandom random = new SplittableRandom(5);
        final float[] centre = unit(random);
        for (int i = 0; i < 2_000; i++) {
            add(table, i, i < 50 ? around(centre, 0.95, random) : unit(random), graphed, exact);
        }
        final IntPredicate odd = index -> index % 2 == 1; // the even ones are forgotten
        for (final TenantVectors tenant : new TenantVectors[] {graphed, exact}) {
            final int[] found = new int[10];
            final int size =
                    tenant.search(quantised(centre), scaleOf(centre), 10, odd, found, new float[10], scratch());
            assertEquals(10, size);
            for (final int index : found) {
                assertTrue(index % 2 == 1 && index < 50, "a live memory of the cluster: " + index);
            }
        }
    }

    @Test
    void aTenantHasACentreFromSixteenVectorsAtMostASixtyFourthBehind() {
        final VectorTable table = new VectorTable(DIMS);
        final TenantVectors tenant = new TenantVectors(table, 1_000);
        final SplittableRandom random = new SplittableRandom(6);
        for (int i = 0; i < TenantVectors.MIN_CENTRED - 1; i++) {
            add(table, i, unit(random), tenant);
        }
        assertNull(tenant.centre(), "15 vectors: no centre yet");
        for (int i = TenantVectors.MIN_CENTRED - 1; i < 3_000; i++) {
            add(table, i, unit(random), tenant);
            final int count = i + 1;
            final VectorCentre centre = tenant.centre();
            assertTrue(
                    centre.count() <= count && (count - centre.count()) * 64 < count,
                    "centre of " + centre.count() + " vectors at " + count);
        }
    }

    /**
     * Fifty vectors lie close to one direction, as small talk lies close to what every text shares, and a question
     * leans that way too: by plain cosine all fifty are nearer it than the vector that answers. Ranked by cosine
     * with the centre taken from both, the answer comes first, and each similarity is that cosine (to within the
     * quantisation of the vectors and the centre).
     */
    @Test
    void rankingWithoutTheCentreTakesTheAnswerAboveTheVectorsNearEveryQuestion() {
        final VectorTable table = new VectorTable(DIMS);
        final TenantVectors tenant = scanOnly(table);
        final SplittableRandom random = new SplittableRandom(7);
        final float[] common = unit(random);
        final float[][] all = new float[52][];
        for (int i = 0; i < 50; i++) {
            all[i] = around(common, 0.9, random);
        }
        all[50] = around(common, 0.3, random); // the answer
        all[51] = unit(random);
        for (int i = 0; i < all.length; i++) {
            add(table, i, all[i], tenant);
        }
        final float[] query = mix(common, 0.85, all[50], 0.5);

        final int[] found = new int[all.length];
        final float[] similarity = new float[all.length];
        final int n = search(tenant, query, all.length, found, similarity);
        assertEquals(all.length, n);
        assertTrue(found[0] < 50, "by plain cosine, small talk first: " + found[0]);

        final VectorCentre centre = tenant.centre();
        assertEquals(all.length, centre.count());
        final int[] ranked = new int[10];
        final float[] centred = new float[10];
        assertEquals(
                10,
                centre.rerank(
                        table,
                        centre.dot(table, quantised(query), scaleOf(query)),
                        n,
                        found,
                        similarity,
                        10,
                        ranked,
                        centred,
                        scratch()));
        assertEquals(50, ranked[0], "without the centre, the answer first");
        final float[] mean = new float[DIMS];
        for (final float[] v : all) {
            for (int d = 0; d < DIMS; d++) {
                mean[d] += v[d] / all.length;
            }
        }
        double tenth = 1;
        for (int i = 0; i < 10; i++) {
            tenth = cosine(minus(query, mean), minus(all[ranked[i]], mean));
            assertEquals(tenth, centred[i], 0.03, "place " + i);
            assertTrue(i == 0 || centred[i] <= centred[i - 1], "highest first");
        }
        for (int i = 0; i < all.length; i++) {
            final int index = i;
            if (Arrays.stream(ranked).noneMatch(r -> r == index)) {
                assertTrue(cosine(minus(query, mean), minus(all[i], mean)) <= tenth + 0.03, "left out: " + i);
            }
        }
    }

    /** In a tenant of one topic, a question about it lies at the centre: cosines without the centre are not used. */
    @Test
    void aQuestionAboutTheOnlyTopicOfATenantDoesNotStandApartFromItsCentre() {
        final VectorTable table = new VectorTable(DIMS);
        final TenantVectors tenant = scanOnly(table);
        final SplittableRandom random = new SplittableRandom(8);
        final float[] topic = unit(random);
        for (int i = 0; i < 40; i++) {
            add(table, i, around(topic, 0.95, random), tenant);
        }
        final VectorCentre centre = tenant.centre();
        final float[] onTopic = around(topic, 0.97, random);
        final float[] elsewhere = mix(topic, 0.3, unit(random), 0.95);
        assertFalse(centre.standsApart(centre.dot(table, quantised(onTopic), scaleOf(onTopic))));
        assertTrue(centre.standsApart(centre.dot(table, quantised(elsewhere), scaleOf(elsewhere))));
    }

    private static float[] mix(final float[] a, final double wa, final float[] b, final double wb) {
        final float[] v = new float[DIMS];
        for (int d = 0; d < DIMS; d++) {
            v[d] = (float) (wa * a[d] + wb * b[d]);
        }
        return normalise(v);
    }

    private static float[] minus(final float[] a, final float[] b) {
        final float[] v = new float[DIMS];
        for (int d = 0; d < DIMS; d++) {
            v[d] = a[d] - b[d];
        }
        return v;
    }

    private static double cosine(final float[] a, final float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int d = 0; d < DIMS; d++) {
            dot += a[d] * b[d];
            na += a[d] * a[d];
            nb += b[d] * b[d];
        }
        return dot / Math.sqrt(na * nb);
    }

    /** A tenant that never reaches its threshold: the exact scan, the reference. */
    private static TenantVectors scanOnly(final VectorTable table) {
        return new TenantVectors(table, Integer.MAX_VALUE);
    }

    private static int[] nearest(final TenantVectors tenant, final float[] query, final int k) {
        final int[] found = new int[k];
        final int size = search(tenant, query, k, found, new float[k]);
        return Arrays.copyOf(found, size);
    }

    private static int search(
            final TenantVectors tenant, final float[] query, final int k, final int[] found, final float[] similarity) {
        return tenant.search(quantised(query), scaleOf(query), k, ALL, found, similarity, scratch());
    }

    private static byte[] quantised(final float[] v) {
        final byte[] q = new byte[DIMS];
        VectorTable.quantise(v, q);
        return q;
    }

    private static float scaleOf(final float[] v) {
        return VectorTable.quantise(v, new byte[DIMS]);
    }

    private static byte[] scratch() {
        return new byte[DIMS];
    }

    /** Stores {@code unit} at {@code index} and adds it to each of {@code tenants}. */
    private static void add(
            final VectorTable table, final int index, final float[] unit, final TenantVectors... tenants) {
        table.put(index, unit);
        for (final TenantVectors tenant : tenants) {
            tenant.add(index);
        }
    }

    /** The stored vector at {@code index}, as floats. */
    private static float[] vectorOf(final VectorTable table, final int index) {
        final byte[] q = new byte[DIMS];
        final float scale = table.read(index, q);
        final float[] v = new float[DIMS];
        for (int d = 0; d < DIMS; d++) {
            v[d] = q[d] * scale;
        }
        return normalise(v);
    }

    /** A unit vector at cosine {@code cosine} from the unit vector {@code centre}. */
    private static float[] around(final float[] centre, final double cosine, final SplittableRandom random) {
        final float[] other = unit(random);
        double along = 0;
        for (int d = 0; d < DIMS; d++) {
            along += other[d] * centre[d];
        }
        final float[] orthogonal = new float[DIMS];
        for (int d = 0; d < DIMS; d++) {
            orthogonal[d] = (float) (other[d] - along * centre[d]);
        }
        final float[] o = normalise(orthogonal);
        final double sine = Math.sqrt(1 - cosine * cosine);
        final float[] v = new float[DIMS];
        for (int d = 0; d < DIMS; d++) {
            v[d] = (float) (cosine * centre[d] + sine * o[d]);
        }
        return normalise(v);
    }

    /** A topic moved by Gaussian noise of 0.032 per dimension (norm about 0.63), as a unit vector. */
    private static float[] noisy(final float[] topic, final SplittableRandom random) {
        final float[] v = new float[DIMS];
        for (int d = 0; d < DIMS; d++) {
            v[d] = (float) (topic[d] + random.nextGaussian() * 0.032);
        }
        return normalise(v);
    }

    private static float[] unit(final SplittableRandom random) {
        final float[] v = new float[DIMS];
        for (int d = 0; d < DIMS; d++) {
            v[d] = (float) random.nextGaussian();
        }
        return normalise(v);
    }

    private static float[] normalise(final float[] v) {
        double norm = 0;
        for (final float x : v) {
            norm += x * x;
        }
        final float inv = (float) (1 / Math.sqrt(norm));
        for (int d = 0; d < v.length; d++) {
            v[d] *= inv;
        }
        return v;
    }
}
