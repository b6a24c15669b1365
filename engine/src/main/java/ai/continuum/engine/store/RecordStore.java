package ai.continuum.engine.store;

import java.util.Arrays;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Fixed-size records off the Java heap, addressed by a dense {@code int} index. Records live in chunks of
 * {@code 2^chunkShift} records that are allocated on demand and never move; index {@code i} is at
 * {@code chunk[i >>> chunkShift]}, byte {@code (i & mask) * recordBytes}.
 *
 * <p>Thread model: {@link #add} is called by the single writer only and returns a zeroed record; reads and writes of
 * existing records follow the protocol of the layout that owns them. The chunk table is published through a volatile
 * field, written after the new chunk is zeroed, so a reader that sees an index (published later by the writer) also
 * sees its chunk.
 */
public final class RecordStore {
    private final int recordBytes;
    private final int chunkShift;
    private final int indexMask;
    /** Published on growth; see class comment. */
    private volatile UnsafeBuffer[] chunks = new UnsafeBuffer[0];
    /** Writer only. */
    private int size;

    /**
     * @param recordBytes bytes per record, a multiple of 8.
     * @param chunkShift  log2 of records per chunk.
     */
    public RecordStore(final int recordBytes, final int chunkShift) {
        if (recordBytes <= 0 || (recordBytes & 7) != 0) {
            throw new IllegalArgumentException("recordBytes=" + recordBytes + " must be a positive multiple of 8");
        }
        if (chunkShift < 4 || chunkShift > 24) {
            throw new IllegalArgumentException("chunkShift=" + chunkShift + " must be in [4, 24]");
        }
        this.recordBytes = recordBytes;
        this.chunkShift = chunkShift;
        this.indexMask = (1 << chunkShift) - 1;
    }

    /** Appends a zeroed record and returns its index. */
    public int add() {
        final int index = size;
        if ((index >>> chunkShift) >= chunks.length) {
            final UnsafeBuffer chunk = DirectMemory.allocate(recordBytes << chunkShift);
            final UnsafeBuffer[] grown = Arrays.copyOf(chunks, chunks.length + 1);
            grown[grown.length - 1] = chunk;
            chunks = grown;
        }
        size = index + 1;
        return index;
    }

    /** Records ever added (writer's view). */
    public int size() {
        return size;
    }

    public UnsafeBuffer buffer(final int index) {
        return chunks[index >>> chunkShift];
    }

    public int offset(final int index) {
        return (index & indexMask) * recordBytes;
    }

    /** Whether {@code index} names an allocated record; for readers validating an index read without a lock. */
    public boolean exists(final int index) {
        return index >= 0 && (index >>> chunkShift) < chunks.length;
    }

    /** Writer: the records into an engine image (only the records in use: the last chunk's tail is zero). */
    public void writeTo(final ImageOutput out) {
        out.writeInt(recordBytes);
        out.writeInt(chunkShift);
        out.writeInt(size);
        final UnsafeBuffer[] all = chunks;
        out.writeInt(all.length);
        for (int i = 0; i < all.length; i++) {
            out.writeRegion(all[i], 0, usedBytes(i));
        }
    }

    /** Writer: restores records written by {@link #writeTo} into this empty store of the same layout. */
    public void readFrom(final ImageInput in) {
        if (size != 0) {
            throw new IllegalStateException("an image is read into an empty record store only");
        }
        final int bytes = in.readInt();
        final int shift = in.readInt();
        if (bytes != recordBytes || shift != chunkShift) {
            throw new IllegalStateException("engine image: records of " + bytes + " bytes in chunks of 2^" + shift
                    + " where this engine has " + recordBytes + " and 2^" + chunkShift);
        }
        final int records = in.readCount(Integer.MAX_VALUE, "records");
        final int count = in.readCount(Integer.MAX_VALUE, "record chunks");
        if (count != (records + indexMask) >>> chunkShift && !(records == 0 && count == 0)) {
            throw new IllegalStateException("engine image: " + count + " chunks for " + records + " records");
        }
        size = records;
        final UnsafeBuffer[] read = new UnsafeBuffer[count];
        for (int i = 0; i < count; i++) {
            read[i] = DirectMemory.allocate(recordBytes << chunkShift);
            final int used = usedBytes(i);
            in.readRegion(read[i], 0, used);
            read[i].setMemory(used, read[i].capacity() - used, (byte) 0);
        }
        chunks = read;
    }

    private int usedBytes(final int chunk) {
        final long records = Math.min((long) size - ((long) chunk << chunkShift), 1L << chunkShift);
        return (int) Math.max(0, records * recordBytes);
    }

    /**
     * Returns every chunk's direct memory now ({@link DirectMemory#free}) and leaves the store empty. Only when no
     * thread reads it any more: a reader still holding a chunk from before would touch freed memory.
     */
    public void release() {
        final UnsafeBuffer[] all = chunks;
        chunks = new UnsafeBuffer[0];
        size = 0;
        for (final UnsafeBuffer chunk : all) {
            DirectMemory.free(chunk);
        }
    }

    public long reservedBytes() {
        return (long) chunks.length * (recordBytes << chunkShift);
    }
}
