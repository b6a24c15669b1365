package ai.continuum.engine;

import java.util.Arrays;

/**
 * A recall's map from a key (a concept id, a memory index) to the slot the key was given in the scratch's arrays.
 * Open addressing with linear probing over interleaved key and slot pairs, like Agrona's {@code Int2IntHashMap}, but
 * shaped by how a recall uses it: {@link #getOrPut} finds a key or inserts it in one probe (a get then a put probed
 * twice for every key seen for the first time, and most keys a recall sees are new), and {@link #clear} finds each key
 * of a small recall instead of sweeping a table a large recall grew (it never shrinks).
 *
 * <p>Invariants: keys are non-negative; the caller's {@code keysBySlot} array names the key of each slot given, which
 * {@link #clear} finds from its own bucket (it is present, so the probe ends at it).
 *
 * <p>Thread safety: one recall at a time, like the scratch that holds it.
 */
final class SlotMap {
    static final int MISSING = -1;
    private static final int EMPTY = -1;

    /** key, slot, key, slot, ...; a free bucket's key is {@link #EMPTY}. */
    private int[] entries;

    private int mask;
    private int size;

    SlotMap(final int buckets) {
        final int n = Integer.highestOneBit(Math.max(16, buckets) * 2 - 1);
        entries = new int[2 * n];
        Arrays.fill(entries, EMPTY);
        mask = n - 1;
    }

    int size() {
        return size;
    }

    /** The slot of {@code key}, or {@link #MISSING}. */
    int get(final int key) {
        for (int b = bucket(key, mask); ; b = (b + 1) & mask) {
            final int k = entries[2 * b];
            if (k == key) {
                return entries[2 * b + 1];
            }
            if (k == EMPTY) {
                return MISSING;
            }
        }
    }

    /** The slot of {@code key} when it has one; otherwise gives it {@code newSlot} and returns {@link #MISSING}. */
    int getOrPut(final int key, final int newSlot) {
        for (int b = bucket(key, mask); ; b = (b + 1) & mask) {
            final int k = entries[2 * b];
            if (k == key) {
                return entries[2 * b + 1];
            }
            if (k == EMPTY) {
                if ((size + 1) * 3 > (mask + 1) * 2) { // more than two thirds taken: grow
                    grow();
                    insert(key, newSlot);
                } else {
                    entries[2 * b] = key;
                    entries[2 * b + 1] = newSlot;
                }
                size++;
                return MISSING;
            }
        }
    }

    /** Removes every key; {@code keysBySlot[0, size())} names them, in any order. */
    void clear(final int[] keysBySlot) {
        if (size * 16 >= mask + 1) {
            Arrays.fill(entries, EMPTY); // a sweep of the table costs less than finding each key in it
        } else {
            // each key is present, so the probe from its bucket ends at it, whatever was removed before
            for (int s = 0; s < size; s++) {
                final int key = keysBySlot[s];
                int b = bucket(key, mask);
                while (entries[2 * b] != key) {
                    b = (b + 1) & mask;
                }
                entries[2 * b] = EMPTY;
            }
        }
        size = 0;
    }

    private void grow() {
        final int[] old = entries;
        final int buckets = 2 * (mask + 1);
        entries = new int[2 * buckets];
        Arrays.fill(entries, EMPTY);
        mask = buckets - 1;
        for (int i = 0; i < old.length; i += 2) {
            if (old[i] != EMPTY) {
                insert(old[i], old[i + 1]);
            }
        }
    }

    private void insert(final int key, final int slot) {
        int b = bucket(key, mask);
        while (entries[2 * b] != EMPTY) {
            b = (b + 1) & mask;
        }
        entries[2 * b] = key;
        entries[2 * b + 1] = slot;
    }

    /** Fibonacci hashing: the key times 2^32 / phi, its high bits; consecutive ids spread over the table. */
    private static int bucket(final int key, final int mask) {
        return (int) ((key * 0x9E3779B97F4A7C15L) >>> 40) & mask;
    }
}
