package ai.continuum.engine.store;

import java.util.Arrays;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Unsigned 16-bit values by a dense {@code int} index, off the Java heap, 32 to a cache line: one field of records that
 * a loop reads for thousands of scattered indexes, kept apart from them so that the loop touches one line per 32
 * indexes rather than one per record. Values live in chunks of {@code 2^chunkShift} that are allocated on demand,
 * zeroed, and never move, as {@link RecordStore}'s records do.
 *
 * <p>Thread model: {@link #ensure} is called by one writer only, before the index it covers is published to any other
 * thread; the chunk table is published through a volatile field after the new chunk is zeroed, so a thread that sees
 * an index also sees its chunk. Each value has one writer at a time ({@link #set}); values are read and written as
 * volatile 16-bit accesses, which are atomic.
 *
 * <p>Not {@link RecordStore} with two-byte records: that variant was measured too, and made recall slower on unique
 * names where this one does not (RESULTS.md, "Term counts in a column"); the cause was not found.
 */
public final class ShortColumn {
    /** The largest value a column holds. */
    public static final int MAX = 0xFFFF;

    private final int chunkShift;
    private final int indexMask;
    /** Published on growth; see class comment. */
    private volatile UnsafeBuffer[] chunks = new UnsafeBuffer[0];

    /** @param chunkShift log2 of values per chunk. */
    public ShortColumn(final int chunkShift) {
        if (chunkShift < 4 || chunkShift > 24) {
            throw new IllegalArgumentException("chunkShift=" + chunkShift + " must be in [4, 24]");
        }
        this.chunkShift = chunkShift;
        this.indexMask = (1 << chunkShift) - 1;
    }

    /** Writer: allocates the chunks up to the one holding {@code index} (zero until set). */
    public void ensure(final int index) {
        final int needed = (index >>> chunkShift) + 1;
        if (needed <= chunks.length) {
            return;
        }
        final UnsafeBuffer[] grown = Arrays.copyOf(chunks, needed);
        for (int c = chunks.length; c < needed; c++) {
            grown[c] = DirectMemory.allocate(Short.BYTES << chunkShift);
        }
        chunks = grown;
    }

    /** Any thread: the value at {@code index}, 0..{@link #MAX}; the index must be covered by {@link #ensure}. */
    public int get(final int index) {
        return chunks[index >>> chunkShift].getShortVolatile((index & indexMask) << 1) & MAX;
    }

    /** The value's one writer: stores {@code value}, 0..{@link #MAX}, at an index covered by {@link #ensure}. */
    public void set(final int index, final int value) {
        if (value < 0 || value > MAX) {
            throw new IllegalArgumentException("value=" + value + " must be in [0, " + MAX + "]");
        }
        chunks[index >>> chunkShift].putShortVolatile((index & indexMask) << 1, (short) value);
    }

    /**
     * Returns every chunk's direct memory now ({@link DirectMemory#free}) and leaves the column empty. Only when no
     * thread reads it any more.
     */
    public void release() {
        final UnsafeBuffer[] all = chunks;
        chunks = new UnsafeBuffer[0];
        for (final UnsafeBuffer chunk : all) {
            DirectMemory.free(chunk);
        }
    }

    public long reservedBytes() {
        return (long) chunks.length * (Short.BYTES << chunkShift);
    }
}
