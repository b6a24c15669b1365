package ai.continuum.engine.store;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * An open-addressing hash table off the Java heap that maps a key to a record index, without storing the key: the
 * caller supplies the key's hash and a {@link Matcher} that compares a candidate record with the key it looks for.
 * That keeps a slot at 4 bytes whatever the key (a link's pair, a memory's tenant and id).
 *
 * <pre>
 *  slot (int): 0 = empty, -1 = removed (probing continues past it), n > 0 = record index n - 1
 * </pre>
 *
 * <p>Capacity is a power of two; linear probing; the table doubles when live plus removed slots pass 70%.
 *
 * <p>Thread model: {@link #put} and {@link #remove} by the single writer only. {@link #find} from any thread: slots
 * are written with release stores and read with acquire loads, and a resized table is published through a volatile
 * field after it is filled, so a reader sees either the old or the new table, each internally consistent; it may
 * miss an entry added concurrently, never return a wrong one (the matcher confirms the record).
 */
public final class IndexHashTable {
    /** Compares the record at {@code index} with the key being looked for. */
    @FunctionalInterface
    public interface Matcher {
        boolean matches(int index);
    }

    /** Rehashes a record index during a resize. */
    @FunctionalInterface
    public interface Hasher {
        int hashOf(int index);
    }

    public static final int MISSING = -1;
    private static final int EMPTY = 0;
    private static final int REMOVED = -1;
    private static final int MAX_LOAD_PERCENT = 70;

    private final Hasher hasher;
    /** Published on resize; see class comment. */
    private volatile UnsafeBuffer slots;
    /** Writer only. */
    private int mask;

    private int live;
    private int used;

    public IndexHashTable(final int expectedEntries, final Hasher hasher) {
        this.hasher = hasher;
        int capacity = 16;
        while ((long) capacity * MAX_LOAD_PERCENT / 100 < expectedEntries) {
            capacity <<= 1;
        }
        this.slots = allocate(capacity);
        this.mask = capacity - 1;
    }

    /** Index of the record matching the key with {@code hash}, or {@link #MISSING}. */
    public int find(final int hash, final Matcher matcher) {
        final UnsafeBuffer table = slots;
        final int tableMask = (table.capacity() >> 2) - 1;
        int slot = mix(hash) & tableMask;
        while (true) {
            final int value = table.getIntVolatile(slot << 2);
            if (value == EMPTY) {
                return MISSING;
            }
            if (value > 0 && matcher.matches(value - 1)) {
                return value - 1;
            }
            slot = (slot + 1) & tableMask;
        }
    }

    /** Adds an index whose key is known to be absent. */
    public void put(final int hash, final int index) {
        if ((long) (used + 1) * 100 > (long) (mask + 1) * MAX_LOAD_PERCENT) {
            resize();
        }
        final UnsafeBuffer table = slots;
        int slot = mix(hash) & mask;
        while (table.getInt(slot << 2) > 0) {
            slot = (slot + 1) & mask;
        }
        if (table.getInt(slot << 2) == EMPTY) {
            used++;
        }
        table.putIntRelease(slot << 2, index + 1);
        live++;
    }

    /** Removes the entry for {@code index}; returns whether it was present. */
    public boolean remove(final int hash, final int index) {
        final UnsafeBuffer table = slots;
        int slot = mix(hash) & mask;
        while (true) {
            final int value = table.getInt(slot << 2);
            if (value == EMPTY) {
                return false;
            }
            if (value == index + 1) {
                table.putIntRelease(slot << 2, REMOVED);
                live--;
                return true;
            }
            slot = (slot + 1) & mask;
        }
    }

    public int size() {
        return live;
    }

    public long reservedBytes() {
        return slots.capacity();
    }

    /** Writer: the table into an engine image, slots as they are. */
    public void writeTo(final ImageOutput out) {
        final UnsafeBuffer table = slots;
        out.writeInt(table.capacity() >> 2);
        out.writeInt(live);
        out.writeInt(used);
        out.writeRegion(table, 0, table.capacity());
    }

    /** Writer: replaces this table with one written by {@link #writeTo} (same hashing, so the slots stay valid). */
    public void readFrom(final ImageInput in) {
        final int capacity = in.readCount(1 << 29, "hash slots");
        if (capacity < 16 || Integer.bitCount(capacity) != 1) {
            throw new IllegalStateException("engine image: " + capacity + " hash slots is not a power of two");
        }
        final int readLive = in.readInt();
        final int readUsed = in.readInt();
        final UnsafeBuffer table = DirectMemory.allocate(capacity << 2);
        in.readRegion(table, 0, capacity << 2);
        final UnsafeBuffer old = slots;
        live = readLive;
        used = readUsed;
        mask = capacity - 1;
        slots = table;
        // An image is read into an engine nobody reads yet: the table sized at construction goes now (at 100k/500k it
        // is megabytes, held until a full collection otherwise).
        DirectMemory.free(old);
    }

    /**
     * Returns the slots' direct memory now ({@link DirectMemory#free}) and leaves an empty table on the heap. Only when
     * no thread reads it any more: a reader still holding the old slots would touch freed memory.
     */
    public void release() {
        final UnsafeBuffer old = slots;
        slots = new UnsafeBuffer(new byte[16 << 2]);
        mask = 15;
        live = 0;
        used = 0;
        DirectMemory.free(old);
    }

    private void resize() {
        final UnsafeBuffer old = slots;
        final int oldCapacity = old.capacity() >> 2;
        final int capacity = live * 2 * 100 / MAX_LOAD_PERCENT > oldCapacity ? oldCapacity << 1 : oldCapacity;
        final UnsafeBuffer table = allocate(capacity);
        final int newMask = capacity - 1;
        for (int i = 0; i < oldCapacity; i++) {
            final int value = old.getInt(i << 2);
            if (value > 0) {
                int slot = mix(hasher.hashOf(value - 1)) & newMask;
                while (table.getInt(slot << 2) != EMPTY) {
                    slot = (slot + 1) & newMask;
                }
                table.putInt(slot << 2, value);
            }
        }
        mask = newMask;
        used = live;
        slots = table;
    }

    private static UnsafeBuffer allocate(final int capacity) {
        return DirectMemory.allocate(capacity << 2);
    }

    /** Spreads low-entropy hashes (e.g. small ids) over the table; murmur3 finaliser. */
    static int mix(final int hash) {
        int h = hash;
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }
}
