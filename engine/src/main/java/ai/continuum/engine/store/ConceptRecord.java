package ai.continuum.engine.store;

import static ai.continuum.engine.store.ConceptLayout.ADJ_ADDR;
import static ai.continuum.engine.store.ConceptLayout.ADJ_CAP;
import static ai.continuum.engine.store.ConceptLayout.ADJ_SIZE;
import static ai.continuum.engine.store.ConceptLayout.INFO_ADDR;
import static ai.continuum.engine.store.ConceptLayout.TENANT;
import static ai.continuum.engine.store.ConceptLayout.VERSION;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * A flyweight over one concept record ({@link ConceptLayout}): {@link #wrap} points it at a concept id, the typed
 * accessors read and write that record's fields. Holds no data of its own.
 *
 * <p>Not thread-safe: the writer keeps its own instances; readers, which may run on any thread, use the layout's
 * offsets on their own stack instead of a shared flyweight.
 */
public final class ConceptRecord {
    private final RecordStore store;
    private UnsafeBuffer buffer;
    private int base;
    private int id = -1;

    public ConceptRecord(final RecordStore store) {
        this.store = store;
    }

    /** Points this flyweight at concept {@code id}; returns it. */
    public ConceptRecord wrap(final int id) {
        this.buffer = store.buffer(id);
        this.base = store.offset(id);
        this.id = id;
        return this;
    }

    public int id() {
        return id;
    }

    public UnsafeBuffer buffer() {
        return buffer;
    }

    /** Offset of the record in {@link #buffer()}. */
    public int base() {
        return base;
    }

    public int tenant() {
        return buffer.getInt(base + TENANT);
    }

    public void tenant(final int tenant) {
        buffer.putInt(base + TENANT, tenant);
    }

    public long adjAddr() {
        return buffer.getLong(base + ADJ_ADDR);
    }

    public void adjAddr(final long addr) {
        buffer.putLong(base + ADJ_ADDR, addr);
    }

    public int adjSize() {
        return buffer.getInt(base + ADJ_SIZE);
    }

    public void adjSize(final int size) {
        buffer.putInt(base + ADJ_SIZE, size);
    }

    public int adjCap() {
        return buffer.getInt(base + ADJ_CAP);
    }

    public void adjCap(final int cap) {
        buffer.putInt(base + ADJ_CAP, cap);
    }

    public long infoAddr() {
        return buffer.getLongVolatile(base + INFO_ADDR);
    }

    /** Publishes a new info block with a release store (its bytes are written before). */
    public void infoAddrRelease(final long addr) {
        buffer.putLongRelease(base + INFO_ADDR, addr);
    }

    /** Opens the record's sequence lock; pair with {@link #endWrite}. */
    public void beginWrite() {
        SeqLock.beginWrite(buffer, base + VERSION);
    }

    public void endWrite() {
        SeqLock.endWrite(buffer, base + VERSION);
    }
}
