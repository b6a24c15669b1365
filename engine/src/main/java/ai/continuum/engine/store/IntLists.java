package ai.continuum.engine.store;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * Growable int lists whose header lives in a {@link RecordStore} record and whose values live in an
 * {@link OffHeapArena} block, guarded by the record's {@link SeqLock} version at offset 0.
 *
 * <pre>
 *  header at addrField:  +0 long addr | +8 int size | +12 int capacity
 * </pre>
 *
 * Values keep insertion order (oldest first). Writer methods take the record's sequence lock themselves; readers copy
 * under it.
 */
public final class IntLists {
    private static final int INITIAL_CAPACITY = 4;
    private static final int SIZE = 8;
    private static final int CAP = 12;

    private IntLists() {}

    /** Writer: appends {@code value}. */
    public static void append(
            final RecordStore store, final OffHeapArena arena, final int index, final int addrField, final int value) {
        final UnsafeBuffer b = store.buffer(index);
        final int base = store.offset(index);
        final int size = b.getInt(base + addrField + SIZE);
        final int cap = b.getInt(base + addrField + CAP);
        SeqLock.beginWrite(b, base);
        if (size == cap) {
            final int wanted = cap == 0 ? INITIAL_CAPACITY : cap + Math.max(2, cap >> 1);
            final long fresh = arena.allocate(wanted * 4);
            final long old = b.getLong(base + addrField);
            if (size > 0) {
                arena.copy(old, fresh, size * 4);
                arena.free(old, cap * 4);
            }
            b.putLong(base + addrField, fresh);
            b.putInt(base + addrField + CAP, OffHeapArena.blockSize(wanted * 4) / 4);
        }
        arena.putInt(b.getLong(base + addrField) + size * 4L, value);
        b.putInt(base + addrField + SIZE, size + 1);
        SeqLock.endWrite(b, base);
    }

    /**
     * Writer: makes the list exactly {@code values[0, n)}, in one block of their size (a list written once, not grown:
     * no spare capacity, no copies).
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
        SeqLock.beginWrite(b, base);
        release(b, base + addrField, arena, 4);
        if (n > 0) {
            final long addr = arena.allocate(n * 4);
            for (int i = 0; i < n; i++) {
                arena.putInt(addr + i * 4L, values[i]);
            }
            b.putLong(base + addrField, addr);
            b.putInt(base + addrField + CAP, OffHeapArena.blockSize(n * 4) / 4);
            b.putInt(base + addrField + SIZE, n);
        }
        SeqLock.endWrite(b, base);
    }

    /** Writer: removes every occurrence of {@code value}, keeping order; returns whether any was removed. */
    public static boolean remove(
            final RecordStore store, final OffHeapArena arena, final int index, final int addrField, final int value) {
        final UnsafeBuffer b = store.buffer(index);
        final int base = store.offset(index);
        final int size = b.getInt(base + addrField + SIZE);
        final long addr = b.getLong(base + addrField);
        int kept = 0;
        SeqLock.beginWrite(b, base);
        for (int i = 0; i < size; i++) {
            final int v = arena.getInt(addr + i * 4L);
            if (v != value) {
                arena.putInt(addr + kept * 4L, v);
                kept++;
            }
        }
        b.putInt(base + addrField + SIZE, kept);
        SeqLock.endWrite(b, base);
        return kept != size;
    }

    /** Writer: frees the list's block and empties it (inside the caller's sequence lock). */
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
        return arena.getInt(store.buffer(index).getLong(store.offset(index) + addrField) + i * 4L);
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
        while (true) {
            final int version = SeqLock.readBegin(b, base);
            final int size = b.getInt(base + addrField + SIZE);
            final long addr = b.getLong(base + addrField);
            final int n = Math.min(size, max);
            int copied = 0;
            if (n > 0 && arena.isValid(addr, size * 4)) {
                final UnsafeBuffer block = arena.buffer(addr);
                final int off = OffHeapArena.offset(addr);
                for (int i = size - 1; copied < n; i--, copied++) {
                    out[copied] = block.getInt(off + i * 4);
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
