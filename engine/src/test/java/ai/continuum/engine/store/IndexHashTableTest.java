package ai.continuum.engine.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The index hash table against a plain map: hits, misses, colliding hashes, removals (tombstones) and resizes. Keys
 * live in {@link #keys} by record index, the way the engine keeps them in its record stores.
 */
class IndexHashTableTest {
    private long[] keys = new long[16];
    /** A deliberately poor hash, so many keys share a probe chain. */
    private int hashBits = 32;

    private int hash(final long key) {
        final int h = Long.hashCode(key);
        return hashBits == 32 ? h : h & ((1 << hashBits) - 1);
    }

    private int record(final int index, final long key) {
        if (index >= keys.length) {
            keys = Arrays.copyOf(keys, index * 2);
        }
        keys[index] = key;
        return index;
    }

    private IndexHashTable newTable(final int expected) {
        return new IndexHashTable(expected, index -> hash(keys[index]));
    }

    private int find(final IndexHashTable table, final long key) {
        return table.find(hash(key), index -> keys[index] == key);
    }

    @Test
    void anEmptyTableMissesEveryKey() {
        final IndexHashTable table = newTable(0);
        assertEquals(IndexHashTable.MISSING, find(table, 1));
        assertEquals(IndexHashTable.MISSING, find(table, 0));
        assertEquals(0, table.size());
    }

    @Test
    void findsWhatWasPutAndMissesWhatWasNot() {
        final IndexHashTable table = newTable(10);
        table.put(hash(42), record(0, 42));
        table.put(hash(7), record(1, 7));
        assertEquals(0, find(table, 42));
        assertEquals(1, find(table, 7));
        assertEquals(IndexHashTable.MISSING, find(table, 8));
        assertEquals(2, table.size());
    }

    @Test
    void recordIndexZeroIsAValidEntry() {
        // slot value 0 means empty, so indexes are stored plus one: index 0 must still be found
        final IndexHashTable table = newTable(1);
        table.put(hash(5), record(0, 5));
        assertEquals(0, find(table, 5));
    }

    @Test
    void keysWithTheSameHashAreToldApartByTheMatcher() {
        hashBits = 0; // every key hashes to 0: one probe chain
        final IndexHashTable table = newTable(8);
        for (int i = 0; i < 8; i++) {
            table.put(hash(100 + i), record(i, 100 + i));
        }
        for (int i = 0; i < 8; i++) {
            assertEquals(i, find(table, 100 + i));
        }
        assertEquals(IndexHashTable.MISSING, find(table, 99));
    }

    @Test
    void aRemovedEntryLeavesATombstoneSoLaterEntriesOfItsChainAreStillFound() {
        hashBits = 0;
        final IndexHashTable table = newTable(8);
        for (int i = 0; i < 4; i++) {
            table.put(hash(i), record(i, i));
        }
        assertTrue(table.remove(hash(1), 1));
        assertEquals(IndexHashTable.MISSING, find(table, 1));
        assertEquals(0, find(table, 0));
        assertEquals(2, find(table, 2), "an entry behind the removed one in the probe chain");
        assertEquals(3, find(table, 3));
        assertEquals(3, table.size());
    }

    @Test
    void removingAnAbsentEntryReportsFalseAndChangesNothing() {
        final IndexHashTable table = newTable(4);
        table.put(hash(1), record(0, 1));
        assertFalse(table.remove(hash(2), 1));
        assertFalse(table.remove(hash(1), 5), "right hash, wrong index");
        assertEquals(1, table.size());
        assertEquals(0, find(table, 1));
    }

    @Test
    void aRemovedKeyCanBePutAgainUnderANewIndex() {
        final IndexHashTable table = newTable(4);
        table.put(hash(9), record(0, 9));
        table.remove(hash(9), 0);
        table.put(hash(9), record(1, 9));
        assertEquals(1, find(table, 9));
        assertEquals(1, table.size());
    }

    @Test
    void growsPastItsInitialCapacityKeepingEveryEntry() {
        final IndexHashTable table = newTable(0);
        final long initialBytes = table.reservedBytes();
        final int n = 50_000;
        for (int i = 0; i < n; i++) {
            table.put(hash(i * 7919L), record(i, i * 7919L));
        }
        assertTrue(table.reservedBytes() > initialBytes);
        assertTrue(table.reservedBytes() / 4 * 70 / 100 >= n, "load stays at or under 70%");
        for (int i = 0; i < n; i++) {
            assertEquals(i, find(table, i * 7919L));
        }
        assertEquals(IndexHashTable.MISSING, find(table, -1));
        assertEquals(n, table.size());
    }

    @Test
    void churnOfPutAndRemoveCleansTombstonesWithoutGrowing() {
        final IndexHashTable table = newTable(8);
        final long bytes = table.reservedBytes();
        for (int i = 0; i < 100_000; i++) {
            table.put(hash(i), record(i % 2, i));
            assertTrue(table.remove(hash(i), i % 2));
        }
        assertEquals(0, table.size());
        assertEquals(bytes, table.reservedBytes(), "tombstones are dropped by a same-size rehash, not by doubling");
        assertEquals(IndexHashTable.MISSING, find(table, 5));
    }

    @Test
    void agreesWithAMapOverRandomOperations() {
        final Random random = new Random(20261203);
        hashBits = 6; // 64 distinct hashes for thousands of keys: long chains, many tombstones
        final IndexHashTable table = newTable(4);
        final Map<Long, Integer> model = new HashMap<>();
        int nextIndex = 0;
        for (int step = 0; step < 40_000; step++) {
            final long key = random.nextInt(3_000);
            final Integer present = model.get(key);
            if (present == null && random.nextInt(3) > 0) {
                final int index = record(nextIndex++, key);
                table.put(hash(key), index);
                model.put(key, index);
            } else if (present != null && random.nextBoolean()) {
                assertTrue(table.remove(hash(key), present));
                model.remove(key);
            }
            final long probe = random.nextInt(3_000);
            assertEquals(model.getOrDefault(probe, IndexHashTable.MISSING), find(table, probe), "key " + probe);
        }
        assertEquals(model.size(), table.size());
        model.forEach((key, index) -> assertEquals(index, find(table, key)));
    }
}
