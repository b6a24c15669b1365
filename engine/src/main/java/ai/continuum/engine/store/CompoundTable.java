package ai.continuum.engine.store;

import static ai.continuum.engine.store.LayoutCheck.field;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * Compounds: sets of concepts seen together in one turn, with a count and last-seen time, off the Java heap.
 * Identity is (tenant, component concept ids in key order).
 *
 * <pre>
 *  record (32 bytes, by compound index)
 *   0  int   tenant        or DELETED
 *   4  int   count
 *   8  long  lastSeenMillis
 *  16  long  componentsAddr  arena block of component concept ids (int), in key order
 *  24  int   componentCount
 * </pre>
 *
 * <p>Thread model: the writer adds, counts and deletes; readers (recall) read {@code count} and {@code lastSeen}
 * with acquire loads and the components, which never change after creation; a deleted compound keeps its block.
 */
public final class CompoundTable {
    static final int TENANT = 0;
    static final int COUNT = 4;
    static final int LAST_SEEN = 8;
    static final int COMPONENTS = 16;
    static final int COMPONENT_COUNT = 24;
    static final int RECORD_BYTES = 32;
    public static final int DELETED = -1;

    static {
        LayoutCheck.check(
                "compound record",
                RECORD_BYTES,
                8,
                field("tenant", TENANT, 4),
                field("count", COUNT, 4),
                field("lastSeenMillis", LAST_SEEN, 8),
                field("componentsAddr", COMPONENTS, 8),
                field("componentCount", COMPONENT_COUNT, 4));
    }

    private final OffHeapArena arena;
    private final RecordStore records = new RecordStore(RECORD_BYTES, 14);
    private final IndexHashTable index;
    /** Writer only: the key being looked for. */
    private int probeTenant;

    private int[] probeIds;
    private int probeCount;

    public CompoundTable(final OffHeapArena arena, final int expected) {
        this.arena = arena;
        this.index = new IndexHashTable(expected, this::recordHash);
    }

    /** Writer: the compound of these components, or -1. */
    public int find(final int tenant, final int[] ids, final int count) {
        probeTenant = tenant;
        probeIds = ids;
        probeCount = count;
        return index.find(hash(tenant, ids, count), this::matchesProbe);
    }

    /** Writer: creates a compound known to be absent. */
    public int add(
            final int tenant, final int[] ids, final int count, final int occurrences, final long lastSeenMillis) {
        final long addr = arena.allocate(count * 4);
        for (int i = 0; i < count; i++) {
            arena.putInt(addr + i * 4L, ids[i]);
        }
        final int rec = records.add();
        final UnsafeBuffer b = records.buffer(rec);
        final int o = records.offset(rec);
        b.putInt(o + COUNT, occurrences);
        b.putLong(o + LAST_SEEN, lastSeenMillis);
        b.putLong(o + COMPONENTS, addr);
        b.putInt(o + COMPONENT_COUNT, count);
        b.putIntRelease(o + TENANT, tenant);
        index.put(hash(tenant, ids, count), rec);
        return rec;
    }

    /** Writer: adds occurrences, keeping the latest time. */
    public void add(final int rec, final int occurrences, final long lastSeenMillis) {
        final UnsafeBuffer b = records.buffer(rec);
        final int o = records.offset(rec);
        final long sum = (long) b.getInt(o + COUNT) + occurrences;
        b.putIntRelease(o + COUNT, (int) Math.min(Integer.MAX_VALUE, sum));
        if (lastSeenMillis > b.getLong(o + LAST_SEEN)) {
            b.putLongRelease(o + LAST_SEEN, lastSeenMillis);
        }
    }

    /** Writer. */
    public void delete(final int rec) {
        if (tenant(rec) == DELETED) {
            return;
        }
        index.remove(recordHash(rec), rec);
        records.buffer(rec).putIntRelease(records.offset(rec) + TENANT, DELETED);
    }

    public boolean exists(final int rec) {
        return records.exists(rec);
    }

    public int tenant(final int rec) {
        return records.buffer(rec).getIntAcquire(records.offset(rec) + TENANT);
    }

    public int count(final int rec) {
        return records.buffer(rec).getIntAcquire(records.offset(rec) + COUNT);
    }

    public long lastSeen(final int rec) {
        return records.buffer(rec).getLongAcquire(records.offset(rec) + LAST_SEEN);
    }

    public int componentCount(final int rec) {
        return records.buffer(rec).getInt(records.offset(rec) + COMPONENT_COUNT);
    }

    public int component(final int rec, final int i) {
        return arena.getInt(records.buffer(rec).getLong(records.offset(rec) + COMPONENTS) + i * 4L);
    }

    /**
     * Returns the direct memory of this structure's own records and hash tables now (the arena it was given is its
     * owner's to release). Only when no thread reads it any more.
     */
    public void release() {
        records.release();
        index.release();
    }

    public long reservedBytes() {
        return records.reservedBytes() + index.reservedBytes();
    }

    /** Writer: the records and their table into an engine image (components are in the arena). */
    public void writeTo(final ImageOutput out) {
        records.writeTo(out);
        index.writeTo(out);
    }

    /** Writer: restores what {@link #writeTo} wrote into this empty table. */
    public void readFrom(final ImageInput in) {
        records.readFrom(in);
        index.readFrom(in);
    }

    private boolean matchesProbe(final int rec) {
        if (tenant(rec) != probeTenant || componentCount(rec) != probeCount) {
            return false;
        }
        for (int i = 0; i < probeCount; i++) {
            if (component(rec, i) != probeIds[i]) {
                return false;
            }
        }
        return true;
    }

    private int recordHash(final int rec) {
        int h = tenant(rec);
        final int n = componentCount(rec);
        for (int i = 0; i < n; i++) {
            h = h * 31 + component(rec, i);
        }
        return h;
    }

    private static int hash(final int tenant, final int[] ids, final int count) {
        int h = tenant;
        for (int i = 0; i < count; i++) {
            h = h * 31 + ids[i];
        }
        return h;
    }
}
