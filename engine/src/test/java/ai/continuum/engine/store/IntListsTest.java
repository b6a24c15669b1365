package ai.continuum.engine.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Int lists on their own: up to two values inside the header, then a block; every operation on both forms. */
class IntListsTest {
    private static final int LIST = 8;

    private final OffHeapArena arena = new OffHeapArena();
    private final RecordStore records = new RecordStore(24, 4);

    private int list() {
        return records.add();
    }

    private int[] newest(final int rec) {
        final int[] out = new int[IntLists.size(records, rec, LIST)];
        return Arrays.copyOf(out, IntLists.readNewest(records, arena, rec, LIST, out.length, out));
    }

    @Test
    void upToTwoValuesLiveInTheHeaderAndTheThirdMovesThemToABlock() {
        final int rec = list();
        IntLists.append(records, arena, rec, LIST, 5);
        IntLists.append(records, arena, rec, LIST, 6);
        assertEquals(0, arena.bytesInUse(), "two values: no block");
        assertArrayEquals(new int[] {6, 5}, newest(rec));
        assertEquals(5, IntLists.get(records, arena, rec, LIST, 0));
        assertEquals(6, IntLists.get(records, arena, rec, LIST, 1));

        IntLists.append(records, arena, rec, LIST, 7);
        assertEquals(OffHeapArena.blockSize(16), arena.bytesInUse(), "the third value: a block of four");
        assertArrayEquals(new int[] {7, 6, 5}, newest(rec));
        assertEquals(5, IntLists.get(records, arena, rec, LIST, 0));

        final int[] two = new int[2];
        assertEquals(2, IntLists.readNewest(records, arena, rec, LIST, 2, two));
        assertArrayEquals(new int[] {7, 6}, two, "a reader asking for fewer gets the newest");
    }

    @Test
    void removingFromAnInlineListKeepsTheOtherValueAndNeverAllocates() {
        final int rec = list();
        IntLists.append(records, arena, rec, LIST, 5);
        IntLists.append(records, arena, rec, LIST, 6);
        assertFalse(IntLists.remove(records, arena, rec, LIST, 9));
        assertTrue(IntLists.remove(records, arena, rec, LIST, 5));
        assertArrayEquals(new int[] {6}, newest(rec));
        IntLists.append(records, arena, rec, LIST, 8);
        assertArrayEquals(new int[] {8, 6}, newest(rec));
        assertEquals(0, arena.bytesInUse());
    }

    @Test
    void aListThatLeftItsHeaderStaysInItsBlockWhenItShrinks() {
        final int rec = list();
        for (int v = 1; v <= 3; v++) {
            IntLists.append(records, arena, rec, LIST, v);
        }
        IntLists.remove(records, arena, rec, LIST, 1);
        IntLists.remove(records, arena, rec, LIST, 2);
        IntLists.append(records, arena, rec, LIST, 4);
        IntLists.append(records, arena, rec, LIST, 5);
        assertArrayEquals(new int[] {5, 4, 3}, newest(rec));
        assertEquals(OffHeapArena.blockSize(16), arena.bytesInUse());
    }

    @Test
    void setAndReleaseHandleBothForms() {
        final int rec = list();
        IntLists.set(records, arena, rec, LIST, new int[] {1, 2, 3}, 3);
        assertEquals(OffHeapArena.blockSize(12), arena.bytesInUse());
        IntLists.set(records, arena, rec, LIST, new int[] {4, 5}, 2);
        assertEquals(0, arena.bytesInUse(), "the block is freed; two values go inline");
        assertArrayEquals(new int[] {5, 4}, newest(rec));
        IntLists.append(records, arena, rec, LIST, 6);
        assertArrayEquals(new int[] {6, 5, 4}, newest(rec), "an inline list set whole grows like any other");

        final int inline = list();
        IntLists.append(records, arena, inline, LIST, 9);
        IntLists.release(records.buffer(inline), records.offset(inline) + LIST, arena, 4);
        IntLists.release(records.buffer(rec), records.offset(rec) + LIST, arena, 4);
        assertEquals(0, arena.bytesInUse());
        assertArrayEquals(new int[0], newest(inline));
        assertArrayEquals(new int[0], newest(rec));
    }

    /** Random appends and removals on many lists, checked after every step against plain Java lists. */
    @Test
    void agreesWithAModelOverRandomOperations() {
        final Random random = new Random(11);
        final int[] recs = new int[20];
        final List<List<Integer>> model = new ArrayList<>();
        for (int i = 0; i < recs.length; i++) {
            recs[i] = list();
            model.add(new ArrayList<>());
        }
        for (int step = 0; step < 5_000; step++) {
            final int i = random.nextInt(recs.length);
            final int value = random.nextInt(6);
            if (random.nextInt(3) == 0) {
                final boolean removed = model.get(i).removeIf(v -> v == value);
                assertEquals(removed, IntLists.remove(records, arena, recs[i], LIST, value));
            } else {
                model.get(i).add(value);
                IntLists.append(records, arena, recs[i], LIST, value);
            }
            final List<Integer> expected = new ArrayList<>(model.get(i));
            java.util.Collections.reverse(expected);
            assertArrayEquals(expected.stream().mapToInt(Integer::intValue).toArray(), newest(recs[i]), "step " + step);
        }
    }
}
