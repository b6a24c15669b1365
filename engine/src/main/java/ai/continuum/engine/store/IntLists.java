package ai.continuum.engine.store;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * Growable int lists whose header lives in a {@link RecordStore} record and whose values live in an
 * {@link OffHeapArena} block or, while there are at most {@link #INLINE_CAPACITY} of them, in the header itself;
 * guarded by the record's {@link SeqLock} version at offset 0.
 *
 * <pre>
 *  header at addrField:  +0 long addr | +8 int size | +12 int capacity
 *  capacity 0 (inline):  +0 int oldest value | +4 int newer value; size 0..2; no block
 *  capacity > 0:         addr is a block of capacity ints, size of them used
 * </pre>
 *
 * Most lists hold one or two values: the words of distinct concept names, the rare terms of the memories (at 100k
 * concepts with unique names, 190,470 of 195,235 concept words list one concept). Inline, such a list costs no block
 * of its own (16 bytes at least), and a reader finds its values in the record it has just read (benchmarks/RESULTS.md,
 * "Short lists inside their header, and short words inside their record"). A list that outgrows the header moves to a
 * block and stays there, shrunk or not: capacity 0 always means inline.
 *
 * <p>Values keep insertion order (oldest first). Writer methods take the record's sequence lock themselves; readers copy
 * under it.
 */
public final class IntLists {
    /** Values a header holds without a block: its 8-byte address field, as two ints. */
    static final int INLINE_CAPACITY = 2;

    private static final int INITIAL_CAPACITY = 4;
    private static final int SIZE = 8;
    private static final int CAP = 12;

    private IntLists() {}

    /** Writer: appends {@code value}. */
    public static void append(
            final RecordStore store, final OffHeapArena arena, final int index, final int addrField, final int value) {
        final UnsafeBuffer b = store.buffer(index);
        final int base = store.offset(index);
        final int header = base + addrField;
        final int size = b.getInt(header + SIZE);
        final int cap = b.getInt(header + CAP);
        SeqLock.beginWrite(b, base);
        if (cap == 0 && size < INLINE_CAPACITY) {
            b.putInt(header + size * 4, value);
        } else {
            if (cap == 0 || size == cap) {
                grow(b, header, arena, size, cap);
            }
            arena.putInt(b.getLong(header) + size * 4L, value);
        }
        b.putInt(header + SIZE, size + 1);
        SeqLock.endWrite(b, base);
    }

    /** Moves a full list, inline or in a block, to a larger block; inside the caller's sequence lock. */
    private static void grow(
            final UnsafeBuffer b, final int header, final OffHeapArena arena, final int size, final int cap) {
        final int wanted = cap == 0 ? INITIAL_CAPACITY : cap + Math.max(2, cap >> 1);
        final long fresh = arena.allocate(wanted * 4);
        if (cap == 0) {
            for (int i = 0; i < size; i++) {
                arena.putInt(fresh + i * 4L, b.getInt(header + i * 4));
            }
        } else {
            final long old = b.getLong(header);
            arena.copy(old, fresh, size * 4);
            arena.free(old, cap * 4);
        }
        b.putLong(header, fresh);
        b.putInt(header + CAP, OffHeapArena.blockSize(wanted * 4) / 4);
    }

    /**
     * Writer: makes the list exactly {@code values[0, n)}: inline when they fit, else in one block of their size (a
     * list written once, not grown: no spare capacity, no copies).
     */
    public static void set(
            final RecordStore store,
            final OffHeapArena arena,
            final int index,
            final int addrField,
            final int[] values,
            final int n) {
        final UnsafeBuffer b = store.buffer(index);
        final int base = store.offset(index);
        final int header = base + addrField;
        SeqLock.beginWrite(b, base);
        release(b, header, arena, 4);
        if (n <= INLINE_CAPACITY) {
            for (int i = 0; i < n; i++) {
                b.putInt(header + i * 4, values[i]);
            }
        } else {
            final long addr = arena.allocate(n * 4);
            for (int i = 0; i < n; i++) {
                arena.putInt(addr + i * 4L, values[i]);
            }
            b.putLong(header, addr);
            b.putInt(header + CAP, OffHeapArena.blockSize(n * 4) / 4);
        }
        b.putInt(header + SIZE, n);
        SeqLock.endWrite(b, base);
    }

    /** Writer: removes every occurrence of {@code value}, keeping order; returns whether any was removed. */
    public static boolean remove(
            final RecordStore store, final OffHeapArena arena, final int index, final int addrField, final int value) {
        final UnsafeBuffer b = store.buffer(index);
        final int base = store.offset(index);
        final int header = base + addrField;
        final int size = b.getInt(header + SIZE);
        final boolean inline = b.getInt(header + CAP) == 0;
        final long addr = b.getLong(header);
        int kept = 0;
        SeqLock.beginWrite(b, base);
        for (int i = 0; i < size; i++) {
            final int v = inline ? b.getInt(header + i * 4) : arena.getInt(addr + i * 4L);
            if (v != value) {
                if (inline) {
                    b.putInt(header + kept * 4, v);
                } else {
                    arena.putInt(addr + kept * 4L, v);
                }
                kept++;
            }
        }
        b.putInt(header + SIZE, kept);
        SeqLock.endWrite(b, base);
        return kept != size;
    }

    /**
     * Writer: frees the list's block, if it has one, and empties it (inside the caller's sequence lock). Also for lists
     * of other entries under the same header ({@code entryBytes} each), which are never inline.
     */
    public static void release(
            final UnsafeBuffer b, final int headerOffset, final OffHeapArena arena, final int entryBytes) {
        final int cap = b.getInt(headerOffset + CAP);
        if (cap > 0) {
            arena.free(b.getLong(headerOffset), cap * entryBytes);
        }
        b.putLong(headerOffset, 0);
        b.putInt(headerOffset + SIZE, 0);
        b.putInt(headerOffset + CAP, 0);
    }

    /** Writer: the list's size. */
    public static int size(final RecordStore store, final int index, final int addrField) {
        return store.buffer(index).getInt(store.offset(index) + addrField + SIZE);
    }

    /** Writer: the i-th value, oldest first. */
    public static int get(
            final RecordStore store, final OffHeapArena arena, final int index, final int addrField, final int i) {
        final UnsafeBuffer b = store.buffer(index);
        final int header = store.offset(index) + addrField;
        return b.getInt(header + CAP) == 0 ? b.getInt(header + i * 4) : arena.getInt(b.getLong(header) + i * 4L);
    }

    /**
     * Reader: copies up to {@code max} values, NEWEST first, consistent with one moment of the writer's history.
     *
     * @return values copied.
     */
    public static int readNewest(
            final RecordStore store,
            final OffHeapArena arena,
            final int index,
            final int addrField,
            final int max,
            final int[] out) {
        if (!store.exists(index)) {
            return 0;
        }
        final UnsafeBuffer b = store.buffer(index);
        final int base = store.offset(index);
        final int header = base + addrField;
        while (true) {
            final int version = SeqLock.readBegin(b, base);
            final int size = b.getInt(header + SIZE);
            final int cap = b.getInt(header + CAP);
            final int n = Math.min(size, max);
            int copied = 0;
            if (cap == 0) {
                // Read mid-write, size may be past the header's two values: bounded here, retried below.
                for (int i = Math.min(size, INLINE_CAPACITY) - 1; copied < n && i >= 0; i--, copied++) {
                    out[copied] = b.getInt(header + i * 4);
                }
            } else {
                final long addr = b.getLong(header);
                if (n > 0 && arena.isValid(addr, size * 4)) {
                    final UnsafeBuffer block = arena.buffer(addr);
                    final int off = OffHeapArena.offset(addr);
                    for (int i = size - 1; copied < n; i--, copied++) {
                        out[copied] = block.getInt(off + i * 4);
                    }
                }
            }
            if (SeqLock.readValid(b, base, version)) {
                return copied;
            }
        }
    }

    /** Reader: the list's size, read once (it may change right after). */
    public static int sizeAcquire(final RecordStore store, final int index, final int addrField) {
        return store.exists(index) ? store.buffer(index).getIntAcquire(store.offset(index) + addrField + SIZE) : 0;
    }
}
