package ai.continuum.engine.store;

import static ai.continuum.engine.store.LinkLayout.A;
import static ai.continuum.engine.store.LinkLayout.B;
import static ai.continuum.engine.store.LinkLayout.LAST_SEEN;
import static ai.continuum.engine.store.LinkLayout.POS_A;
import static ai.continuum.engine.store.LinkLayout.POS_B;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * A flyweight over one link record ({@link LinkLayout}): {@link #wrap} points it at a link index, the typed accessors
 * read and write that record's fields. Holds no data of its own.
 *
 * <p>Not thread-safe: the writer keeps its own instances (one per nesting level, so a call that re-wraps one never
 * disturbs a caller's); readers use the layout's offsets instead.
 */
public final class LinkRecord {
    private final RecordStore store;
    private UnsafeBuffer buffer;
    private int base;

    public LinkRecord(final RecordStore store) {
        this.store = store;
    }

    /** Points this flyweight at link {@code link}; returns it. */
    public LinkRecord wrap(final int link) {
        this.buffer = store.buffer(link);
        this.base = store.offset(link);
        return this;
    }

    public int a() {
        return buffer.getInt(base + A);
    }

    public int b() {
        return buffer.getInt(base + B);
    }

    /** Sets both endpoints of a new link, {@code a < b}. */
    public void pair(final int a, final int b) {
        buffer.putInt(base + A, a);
        buffer.putInt(base + B, b);
    }

    /** Marks the link removed ({@link LinkLayout#DELETED}). */
    public void markDeleted() {
        buffer.putInt(base + A, LinkLayout.DELETED);
    }

    public int posA() {
        return buffer.getInt(base + POS_A);
    }

    public int posB() {
        return buffer.getInt(base + POS_B);
    }

    /** Records where endpoint {@code id} (either a or b) keeps this link's adjacency entry. */
    public void pos(final int id, final int pos) {
        buffer.putInt(base + (a() == id ? POS_A : POS_B), pos);
    }

    public void posA(final int pos) {
        buffer.putInt(base + POS_A, pos);
    }

    public void posB(final int pos) {
        buffer.putInt(base + POS_B, pos);
    }

    public long lastSeen() {
        return buffer.getLong(base + LAST_SEEN);
    }

    public void lastSeen(final long millis) {
        buffer.putLong(base + LAST_SEEN, millis);
    }

    /** Publishes a later last-seen time to readers (recall's time decay) with a release store. */
    public void lastSeenRelease(final long millis) {
        buffer.putLongRelease(base + LAST_SEEN, millis);
    }
}
