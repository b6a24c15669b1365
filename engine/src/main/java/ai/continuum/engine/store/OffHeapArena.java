package ai.continuum.engine.store;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * Variable-size blocks off the Java heap, addressed by a {@code long}: {@code chunkIndex << CHUNK_SHIFT | offset}.
 *
 * <pre>
 *  address:  63 ............ 24 | 23 ............ 0
 *            chunk index        | byte offset in chunk
 * </pre>
 *
 * <p>Chunks are allocated on demand and never moved, so an address stays valid for the life of the arena. They grow
 * with the arena: the first holds {@link #FIRST_CHUNK_BYTES}, each next one twice the one before, up to
 * {@link #GROWN_CHUNK_BYTES} (or, up to {@link #CHUNK_BYTES}, one big enough for the block that opened it). Chunks are
 * zeroed when allocated, so every reserved byte is resident: fixed 16 MiB chunks kept 32 MiB resident for an engine of
 * a few turns (this arena and the term index's), and 14 MiB unused in the term index's at 100k concepts
 * (benchmarks/RESULTS.md, "Arena chunks that grow with the arena, and hash tables sized by their fill"); growing up to
 * 16 MiB, the last chunk still held 10 MB unused at 100k concepts (same file, "Arena chunks grown to 4 MiB, not
 * 16"), hence the 4 MiB step. When a block does not fit the rest of the last chunk, that rest is cut into free blocks
 * rather than abandoned.
 *
 * <p>Freed blocks go to a free list per size class and are reused; a reader that may race with a free must validate
 * what it read (the engine's readers do so with the owning concept's sequence lock).
 *
 * <p>Address 0 is never allocated: a zero address field means "no block".
 *
 * <p>Size classes are powers of two and one-and-a-half times powers of two (16, 24, 32, 48, 64, ...), so a growing
 * list wastes 20% on average rather than 33%.
 *
 * <p>Thread model: {@link #allocate} and {@link #free} are called by the single writer only. Reads from any thread:
 * the chunk table is published through a volatile field and a reader re-reads it when an address is beyond its copy.
 */
public final class OffHeapArena {
    public static final int CHUNK_SHIFT = 24;
    /** Largest chunk, and so the largest block: an address holds 24 bits of offset. */
    public static final int CHUNK_BYTES = 1 << CHUNK_SHIFT;
    /** The first chunk's bytes; chunk {@code i} holds {@code FIRST_CHUNK_BYTES << i} up to the grown size. */
    public static final int FIRST_CHUNK_BYTES = 1 << 16;
    /** A chunk's bytes once the arena has grown (a larger block still opens a chunk of its own size). */
    public static final int GROWN_CHUNK_BYTES = 1 << 22;
    /** Chunks before they reach {@link #GROWN_CHUNK_BYTES}. */
    private static final int GROWING_CHUNKS =
            Integer.numberOfTrailingZeros(GROWN_CHUNK_BYTES) - Integer.numberOfTrailingZeros(FIRST_CHUNK_BYTES);
    /** Chunks an image may hold: the growing ones, then as many grown ones as a 2 GiB arena needs. */
    private static final int MAX_CHUNKS =
            GROWING_CHUNKS + (Integer.MAX_VALUE >> Integer.numberOfTrailingZeros(GROWN_CHUNK_BYTES));

    private static final int OFFSET_MASK = CHUNK_BYTES - 1;
    private static final int MIN_BLOCK = 16;
    private static final int CLASS_COUNT = 64;
    /** Free-list terminator. */
    private static final long NO_BLOCK = -1L;

    /** Published on growth (volatile write pairs with the volatile read in {@link #chunks()}). */
    private volatile UnsafeBuffer[] chunks = new UnsafeBuffer[0];
    /** Writer only: bump pointer into the last chunk; 0 before the first chunk (which then counts as full). */
    private int topOffset;

    private final long[] freeHeads = new long[CLASS_COUNT];
    private long bytesInUse;
    private long reservedBytes;

    public OffHeapArena() {
        java.util.Arrays.fill(freeHeads, NO_BLOCK);
    }

    /** The rounded-up size of a block able to hold {@code bytes}. */
    public static int blockSize(final int bytes) {
        return classSize(sizeClass(bytes));
    }

    /** Allocates a block of at least {@code bytes}; contents are undefined. */
    public long allocate(final int bytes) {
        if (bytes <= 0 || bytes > CHUNK_BYTES) {
            throw new IllegalArgumentException("block bytes=" + bytes + " must be in [1, " + CHUNK_BYTES + "]");
        }
        final int cls = sizeClass(bytes);
        final int size = classSize(cls);
        bytesInUse += size;
        final long head = freeHeads[cls];
        if (head != NO_BLOCK) {
            freeHeads[cls] = getLong(head);
            return head;
        }
        while (topOffset + size > lastChunkBytes()) {
            addChunk(size);
        }
        final long address = ((long) (chunks.length - 1) << CHUNK_SHIFT) | topOffset;
        topOffset += size;
        return address;
    }

    /** Returns a block obtained from {@link #allocate} with the same {@code bytes}. */
    public void free(final long address, final int bytes) {
        final int cls = sizeClass(bytes);
        bytesInUse -= classSize(cls);
        pushFree(cls, address);
    }

    /** Puts the block at {@code address} first on the free list of class {@code cls}. */
    private void pushFree(final int cls, final long address) {
        putLong(address, freeHeads[cls]);
        freeHeads[cls] = address;
    }

    /** Bytes reserved from the operating system: every chunk, whole. */
    public long reservedBytes() {
        return reservedBytes;
    }

    /** Bytes in live blocks. */
    /**
     * Returns every chunk's direct memory now ({@link DirectMemory#free}); the arena is never used again. Only when no
     * thread reads it any more: a reader still holding a chunk from before would touch freed memory.
     */
    public void release() {
        final UnsafeBuffer[] all = chunks;
        chunks = new UnsafeBuffer[0];
        for (final UnsafeBuffer chunk : all) {
            DirectMemory.free(chunk);
        }
    }

    public long bytesInUse() {
        return bytesInUse;
    }

    public UnsafeBuffer[] chunks() {
        return chunks;
    }

    public UnsafeBuffer buffer(final long address) {
        return chunks[(int) (address >>> CHUNK_SHIFT)];
    }

    public static int offset(final long address) {
        return (int) address & OFFSET_MASK;
    }

    /**
     * Whether {@code length} bytes at {@code address} lie inside one allocated chunk. Readers validating an address
     * read without a lock call this before touching memory.
     */
    public boolean isValid(final long address, final int length) {
        if (address < 0 || length < 0) {
            return false;
        }
        final long index = address >>> CHUNK_SHIFT;
        final UnsafeBuffer[] all = chunks;
        return index < all.length && offset(address) + (long) length <= all[(int) index].capacity();
    }

    public int getInt(final long address) {
        return buffer(address).getInt(offset(address));
    }

    public void putInt(final long address, final int value) {
        buffer(address).putInt(offset(address), value);
    }

    public long getLong(final long address) {
        return buffer(address).getLong(offset(address));
    }

    public void putLong(final long address, final long value) {
        buffer(address).putLong(offset(address), value);
    }

    public void copy(final long from, final long to, final int bytes) {
        buffer(to).putBytes(offset(to), buffer(from), offset(from), bytes);
    }

    public void putBytes(final long address, final byte[] src, final int srcOffset, final int length) {
        buffer(address).putBytes(offset(address), src, srcOffset, length);
    }

    public void getBytes(final long address, final byte[] dst, final int dstOffset, final int length) {
        buffer(address).getBytes(offset(address), dst, dstOffset, length);
    }

    /**
     * Writer: the arena into an engine image: the chunks (each one's size, then its bytes; the last one up to its bump
     * pointer), the bump pointer, the free lists (their links live inside the freed blocks, so they travel with the
     * chunks) and the bytes in use.
     */
    public void writeTo(final ImageOutput out) {
        final UnsafeBuffer[] all = chunks;
        out.writeInt(all.length);
        out.writeInt(topOffset);
        out.writeLong(bytesInUse);
        for (final long head : freeHeads) {
            out.writeLong(head);
        }
        for (int i = 0; i < all.length; i++) {
            out.writeInt(all[i].capacity());
            out.writeRegion(all[i], 0, i == all.length - 1 ? topOffset : all[i].capacity());
        }
    }

    /** Writer: restores an arena written by {@link #writeTo} into this empty one. */
    public void readFrom(final ImageInput in) {
        if (chunks.length != 0) {
            throw new IllegalStateException("an image is read into an empty arena only");
        }
        final int count = in.readCount(MAX_CHUNKS, "arena chunks");
        final int top = in.readInt();
        bytesInUse = in.readLong();
        for (int c = 0; c < CLASS_COUNT; c++) {
            freeHeads[c] = in.readLong();
        }
        final UnsafeBuffer[] read = new UnsafeBuffer[count];
        long reserved = 0;
        for (int i = 0; i < count; i++) {
            final int bytes = in.readInt();
            if (bytes < FIRST_CHUNK_BYTES || bytes > CHUNK_BYTES || Integer.bitCount(bytes) != 1) {
                throw new IllegalStateException("engine image: arena chunk of " + bytes + " bytes");
            }
            if (i == count - 1 && (top < MIN_BLOCK || top > bytes)) {
                throw new IllegalStateException("engine image: arena bump pointer " + top + " is out of range");
            }
            read[i] = DirectMemory.allocate(bytes);
            in.readRegion(read[i], 0, i == count - 1 ? top : bytes);
            reserved += bytes;
        }
        topOffset = count == 0 ? 0 : top;
        reservedBytes = reserved;
        chunks = read;
    }

    /** Bytes of the last chunk; 0 before the first. */
    private int lastChunkBytes() {
        final UnsafeBuffer[] all = chunks;
        return all.length == 0 ? 0 : all[all.length - 1].capacity();
    }

    /** Opens the next chunk, big enough for a block of {@code blockBytes}, after freeing the rest of the last one. */
    private void addChunk(final int blockBytes) {
        freeTail();
        final UnsafeBuffer[] old = chunks;
        final int bytes = chunkBytes(old.length, blockBytes);
        final UnsafeBuffer[] grown = java.util.Arrays.copyOf(old, old.length + 1);
        grown[old.length] = DirectMemory.allocate(bytes);
        chunks = grown;
        reservedBytes += bytes;
        // address 0 is never handed out, so a zeroed address field reliably means "no block"
        topOffset = old.length == 0 ? MIN_BLOCK : 0;
    }

    /**
     * Bytes of chunk {@code index} when it opens for a block of {@code blockBytes}: the growth step's, or the power
     * of two holding the block (the first chunk also holds the unused address 0), at most {@link #CHUNK_BYTES}.
     */
    private static int chunkBytes(final int index, final int blockBytes) {
        final int grown = index >= GROWING_CHUNKS ? GROWN_CHUNK_BYTES : FIRST_CHUNK_BYTES << index;
        final int needed = index == 0 ? blockBytes + MIN_BLOCK : blockBytes;
        final int holding = needed > CHUNK_BYTES / 2 ? CHUNK_BYTES : Integer.highestOneBit(needed - 1) << 1;
        return Math.max(grown, holding);
    }

    /**
     * Cuts the rest of the last chunk, past the bump pointer, into free blocks of the largest classes that fit, so a
     * chunk left for a bigger block is not lost (block sizes are multiples of 8, so at most 8 bytes are).
     */
    private void freeTail() {
        final UnsafeBuffer[] all = chunks;
        if (all.length == 0) {
            return;
        }
        final long chunkBase = (long) (all.length - 1) << CHUNK_SHIFT;
        int rest = all[all.length - 1].capacity() - topOffset;
        while (rest >= MIN_BLOCK) {
            int cls = sizeClass(rest);
            if (classSize(cls) > rest) {
                cls--;
            }
            final int size = classSize(cls);
            pushFree(cls, chunkBase | topOffset);
            topOffset += size;
            rest -= size;
        }
    }

    /** Class 0 = 16 bytes, 1 = 24, 2 = 32, 3 = 48, 4 = 64, ...: even classes are powers of two. */
    static int sizeClass(final int bytes) {
        final int n = Math.max(bytes, MIN_BLOCK);
        final int pow = 31 - Integer.numberOfLeadingZeros(n - 1) + 1; // smallest p with 2^p >= n
        final int half = 1 << (pow - 1);
        final int base = (pow - 4) * 2; // class of 2^pow
        if (n <= half + (half >> 1)) {
            return base - 1; // 1.5 * 2^(pow-1) fits
        }
        return base;
    }

    static int classSize(final int cls) {
        final int pow = cls / 2 + 4;
        return (cls & 1) == 0 ? 1 << pow : (1 << pow) + (1 << (pow - 1));
    }
}
