package ai.continuum.engine.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The concept graph on its own: links found from either end, adjacency kept strongest first (an entry that rises to
 * a count goes behind the entries already at it),
 * positions of links in both adjacency blocks kept right through promotions, removals and bulk sorts.
 */
class ConceptGraphTest {
    private static final int TENANT = 3;

    private final ConceptGraph graph = new ConceptGraph(new OffHeapArena(), 16);

    private int[] concepts(final int n) {
        final int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = graph.addConcept(TENANT);
        }
        return ids;
    }

    private int[] neighbours(final int id) {
        final int[] out = new int[graph.degree(id)];
        final int n = graph.readNeighbours(id, out.length, out, new int[out.length], new int[out.length]);
        return java.util.Arrays.copyOf(out, n);
    }

    private int[] counts(final int id) {
        final int size = graph.degree(id);
        final int[] counts = new int[size];
        final int n = graph.readNeighbours(id, size, new int[size], new int[size], counts);
        return java.util.Arrays.copyOf(counts, n);
    }

    @Test
    void aNewConceptHasItsTenantAndNoNeighbours() {
        final int id = graph.addConcept(TENANT);
        assertEquals(TENANT, graph.tenantOf(id));
        assertEquals(0, graph.degree(id));
        assertEquals(0, graph.readNeighbours(id, 10, new int[10], new int[10], new int[10]));
        assertEquals(0, graph.readNeighbours(id + 1000, 10, new int[10], new int[10], new int[10]), "unknown id");
    }

    @Test
    void aLinkIsFoundFromEitherEndAndCountsAccumulate() {
        final int[] c = concepts(2);
        assertTrue(graph.addCooccurrence(c[1], c[0], 2, 100, false));
        assertFalse(graph.addCooccurrence(c[0], c[1], 3, 50, false), "second sighting updates the same link");
        final int link = graph.findLink(c[0], c[1]);
        assertEquals(link, graph.findLink(c[1], c[0]));
        assertEquals(5, graph.linkCount(link));
        assertEquals(5, graph.readLinkCount(link));
        assertEquals(100, graph.linkLastSeen(link), "last seen keeps the maximum");
        assertEquals(Math.min(c[0], c[1]), graph.linkA(link));
        assertEquals(Math.max(c[0], c[1]), graph.linkB(link));
        assertEquals(1, graph.liveLinks());
        assertEquals(IndexHashTable.MISSING, graph.findLink(c[0], c[0] + 99));
    }

    @Test
    void adjacencyIsStrongestFirstAndARisingEntryGoesBehindItsEquals() {
        final int[] c = concepts(5);
        final int hub = c[0];
        graph.addCooccurrence(hub, c[1], 1, 0, false);
        graph.addCooccurrence(hub, c[2], 1, 0, false);
        graph.addCooccurrence(hub, c[3], 1, 0, false);
        graph.addCooccurrence(hub, c[4], 1, 0, false);
        assertArrayEquals(new int[] {c[1], c[2], c[3], c[4]}, neighbours(hub));

        graph.addCooccurrence(hub, c[3], 1, 0, false); // 3 rises to 2 and overtakes the ones at 1
        assertEquals(c[3], neighbours(hub)[0]);
        assertArrayEquals(new int[] {2, 1, 1, 1}, counts(hub));
        graph.addCooccurrence(hub, c[4], 1, 0, false); // 4 ties with 3 and goes behind it
        assertEquals(c[3], neighbours(hub)[0]);
        assertEquals(c[4], neighbours(hub)[1]);
        assertArrayEquals(new int[] {2, 2, 1, 1}, counts(hub));
        graph.addCooccurrence(hub, c[2], 5, 0, false);
        assertEquals(c[2], neighbours(hub)[0]);
        assertArrayEquals(new int[] {6, 2, 2, 1}, counts(hub));
        assertEquals(c[1], neighbours(hub)[3], "the only entry left at count 1");
    }

    @Test
    void readNeighboursStopsAtMax() {
        final int[] c = concepts(4);
        for (int i = 1; i < 4; i++) {
            graph.addCooccurrence(c[0], c[i], i, 0, false);
        }
        final int[] out = new int[2];
        assertEquals(2, graph.readNeighbours(c[0], 2, out, new int[2], new int[2]));
        assertArrayEquals(new int[] {c[3], c[2]}, out, "the two strongest");
    }

    @Test
    void removingALinkTakesItOutOfBothEndsAndTheIndex() {
        final int[] c = concepts(4);
        graph.addCooccurrence(c[0], c[1], 3, 0, false);
        graph.addCooccurrence(c[0], c[2], 2, 0, false);
        graph.addCooccurrence(c[0], c[3], 1, 0, false);
        final int middle = graph.findLink(c[0], c[2]);
        graph.removeLink(middle);
        graph.removeLink(middle); // a second removal is a no-op
        assertEquals(IndexHashTable.MISSING, graph.findLink(c[0], c[2]));
        assertArrayEquals(new int[] {c[1], c[3]}, neighbours(c[0]));
        assertEquals(0, graph.degree(c[2]));
        assertEquals(0, graph.readLinkCount(middle));
        assertEquals(2, graph.liveLinks());
        // the entries that moved up still know their positions: counting them again promotes correctly
        graph.addCooccurrence(c[0], c[3], 5, 0, false);
        assertArrayEquals(new int[] {c[3], c[1]}, neighbours(c[0]));
        assertEquals(6, graph.readLinkCount(graph.findLink(c[0], c[3])));
    }

    @Test
    void bulkAddsLeaveOrderToSortAdjacency() {
        final int[] c = concepts(5);
        for (int i = 1; i < 5; i++) {
            graph.addCooccurrence(c[0], c[i], i, 0, true);
        }
        assertArrayEquals(new int[] {c[1], c[2], c[3], c[4]}, neighbours(c[0]), "bulk keeps arrival order");
        for (final int id : c) {
            graph.sortAdjacency(id, new long[1]);
        }
        assertArrayEquals(new int[] {c[4], c[3], c[2], c[1]}, neighbours(c[0]));
        for (int i = 1; i < 5; i++) {
            assertEquals(i, graph.readLinkCount(graph.findLink(c[0], c[i])), "position of link to " + i);
        }
    }

    @Test
    void countsSaturateInsteadOfOverflowing() {
        final int[] c = concepts(2);
        graph.addCooccurrence(c[0], c[1], Integer.MAX_VALUE - 1, 0, false);
        graph.addCooccurrence(c[0], c[1], 10, 0, false);
        assertEquals(Integer.MAX_VALUE, graph.linkCount(graph.findLink(c[0], c[1])));
    }

    @Test
    void intListsKeepOrderGrowAndRemoveEveryOccurrence() {
        final int id = graph.addConcept(TENANT);
        final int field = ConceptLayout.MEM_ADDR;
        for (int v = 0; v < 100; v++) {
            graph.appendInt(id, field, v % 10);
        }
        assertEquals(100, graph.intListSize(id, field));
        assertEquals(0, graph.intAt(id, field, 0), "oldest first for the writer");
        assertEquals(9, graph.intAt(id, field, 99));
        final int[] newest = new int[3];
        assertEquals(3, graph.readIntList(id, field, 3, newest));
        assertArrayEquals(new int[] {9, 8, 7}, newest, "newest first for readers");

        assertTrue(graph.removeInt(id, field, 4));
        assertFalse(graph.removeInt(id, field, 4));
        assertEquals(90, graph.intListSize(id, field));
        final int[] all = new int[100];
        assertEquals(90, graph.readIntList(id, field, 100, all));
        for (int i = 0; i < 90; i++) {
            assertTrue(all[i] != 4);
        }
        assertEquals(0, graph.intListSize(id, ConceptLayout.CMP_ADDR), "the other list of the concept is untouched");
    }

    @Test
    void aDeletedConceptReadsEmptyAndReturnsItsBlocks() {
        final int[] c = concepts(3);
        graph.addCooccurrence(c[0], c[1], 1, 0, false);
        for (int m = 7; m < 10; m++) { // three memories: more than the list's header holds, so a block
            graph.appendInt(c[2], ConceptLayout.MEM_ADDR, m);
        }
        final long inUse = graph.arena().bytesInUse();
        graph.markDeleted(c[2]);
        assertTrue(graph.arena().bytesInUse() < inUse);
        assertEquals(0, graph.readIntList(c[2], ConceptLayout.MEM_ADDR, 10, new int[10]));
        assertEquals(ConceptLayout.DELETED, graph.tenantOf(c[2]));
        assertEquals(1, graph.readNeighbours(c[0], 10, new int[10], new int[10], new int[10]));
    }

    /** Random adds and removals checked after every step against a plain model of the link counts. */
    @Test
    void agreesWithAModelOverRandomOperations() {
        final Random random = new Random(7);
        final int[] c = concepts(30);
        final Map<Long, Integer> model = new HashMap<>();
        for (int step = 0; step < 5_000; step++) {
            final int x = c[random.nextInt(c.length)];
            final int y = c[random.nextInt(c.length)];
            if (x == y) {
                continue;
            }
            final long key = ((long) Math.min(x, y) << 32) | Math.max(x, y);
            if (model.containsKey(key) && random.nextInt(5) == 0) {
                graph.removeLink(graph.findLink(x, y));
                model.remove(key);
            } else {
                final int add = 1 + random.nextInt(3);
                graph.addCooccurrence(x, y, add, step, false);
                model.merge(key, add, Integer::sum);
            }
        }
        assertEquals(model.size(), graph.liveLinks());
        for (final int id : c) {
            final int size = graph.degree(id);
            final int[] ns = new int[size];
            final int[] ls = new int[size];
            final int[] cs = new int[size];
            assertEquals(size, graph.readNeighbours(id, size, ns, ls, cs));
            final List<Integer> expectedNeighbours = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                if (i > 0) {
                    assertTrue(cs[i - 1] >= cs[i], "concept " + id + " not strongest first at " + i);
                }
                final long key = ((long) Math.min(id, ns[i]) << 32) | Math.max(id, ns[i]);
                assertEquals(model.get(key), cs[i], "count of " + id + "-" + ns[i]);
                assertEquals(ls[i], graph.findLink(id, ns[i]));
                assertEquals(cs[i], graph.readLinkCount(ls[i]), "the link's recorded position is right");
                expectedNeighbours.add(ns[i]);
            }
            final long modelDegree = model.keySet().stream()
                    .filter(k -> (int) (k >>> 32) == id || (int) (long) k == id)
                    .count();
            assertEquals(modelDegree, expectedNeighbours.size(), "degree of " + id);
        }
    }
}
