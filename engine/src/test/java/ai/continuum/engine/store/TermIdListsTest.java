package ai.continuum.engine.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Each document's term ids on their own: written once, read last first, cleared, blocks of their exact size. */
class TermIdListsTest {
    private final OffHeapArena arena = new OffHeapArena();
    private final TermIdLists lists = new TermIdLists(arena);

    private int[] ids(final int document) {
        final int[] out = new int[lists.size(document)];
        return Arrays.copyOf(out, lists.read(document, out));
    }

    @Test
    void aDocumentsIdsReadBackLastSaidFirst() {
        lists.set(3, new int[] {10, 11, 12, 99}, 3);
        assertArrayEquals(new int[] {12, 11, 10}, ids(3));
        assertArrayEquals(new int[0], ids(2), "a document below one set, never set itself, has none");
        assertArrayEquals(new int[0], ids(40_000), "nor has one beyond every record");
    }

    @Test
    void aListIsOneBlockOfItsSizeAndClearingOrReplacingItFreesThatBlock() {
        lists.set(0, new int[] {1, 2, 3, 4, 5}, 5);
        assertEquals(OffHeapArena.blockSize(20), arena.bytesInUse(), "no spare capacity for growth");
        lists.set(0, new int[] {7, 8, 9}, 3);
        assertEquals(OffHeapArena.blockSize(12), arena.bytesInUse());
        assertArrayEquals(new int[] {9, 8, 7}, ids(0));
        lists.set(0, new int[] {7}, 1);
        assertEquals(0, arena.bytesInUse(), "one id lives in the list's header");
        assertArrayEquals(new int[] {7}, ids(0));
        lists.clear(0);
        lists.clear(5_000); // never set: nothing to clear
        assertEquals(0, arena.bytesInUse());
        assertArrayEquals(new int[0], ids(0));
    }

    @Test
    void documentsAcrossManyRecordChunksKeepTheirOwnIds() {
        for (int d = 0; d < 10_000; d += 7) {
            lists.set(d, new int[] {d, d + 1}, 2);
        }
        for (int d = 0; d < 10_000; d++) {
            assertArrayEquals(d % 7 == 0 ? new int[] {d + 1, d} : new int[0], ids(d), "document " + d);
        }
    }
}
