package ai.continuum.engine.semantic;

import ai.continuum.engine.store.DirectMemory;
import java.util.Arrays;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Unit vectors off the Java heap, quantised to one signed byte per dimension with one scale per vector, addressed by
 * memory index (the engine's dense memory numbering, never reused).
 *
 * <pre>
 *  record (at index * recordBytes in its chunk):
 *    0  float  scale      value of dimension d = byte[d] * scale; 0 = no vector stored
 *    4  byte[] dims       round(x[d] / scale), scale = max|x[d]| / 127
 *       padding to a multiple of 8
 * </pre>
 *
 * <p>Quantisation keeps the cosine of two MiniLM vectors to within about 0.01 and stores 388 bytes per vector of 384
 * dimensions instead of 1,536.
 *
 * <p>Thread model: one writer ({@link #put}); any number of readers. Chunks are allocated on demand and never moved;
 * the chunk table is published through a volatile field. A reader learns that a vector is complete from a later
 * volatile write that it reads first (the index's per-tenant count, {@link SemanticIndex}).
 */
public final class VectorTable {
    /** Vectors per chunk: a chunk of 384-dimension vectors is 1.6 MB. */
    static final int CHUNK_RECORDS = 4096;

    private static final int SCALE = 0;
    private static final int DIMS = 4;

    private final int dimensions;
    private final int recordBytes;
    private volatile UnsafeBuffer[] chunks = new UnsafeBuffer[0];

    public VectorTable(final int dimensions) {
        if (dimensions < 1 || dimensions > 4096) {
            throw new IllegalArgumentException("dimensions=" + dimensions + " must be in [1, 4096]");
        }
        this.dimensions = dimensions;
        this.recordBytes = (DIMS + dimensions + 7) & ~7;
    }

    public int dimensions() {
        return dimensions;
    }

    /** Bytes one stored vector takes. */
    public int recordBytes() {
        return recordBytes;
    }

    /** Writer: quantises {@code unit} (length {@link #dimensions()}) and stores it at {@code index}. */
    public void put(final int index, final float[] unit) {
        final byte[] quantised = new byte[dimensions];
        putQuantised(index, quantised, quantise(unit, quantised));
    }

    /** Writer: stores a vector quantised as {@link #quantise} does ({@code scale} above 0) at {@code index}. */
    public void putQuantised(final int index, final byte[] quantised, final float scale) {
        if (quantised.length != dimensions || !(scale > 0f)) {
            throw new IllegalArgumentException("a vector of " + quantised.length + " dimensions and scale " + scale
                    + " does not fit " + dimensions);
        }
        final UnsafeBuffer chunk = chunkForWrite(index / CHUNK_RECORDS);
        final int offset = (index % CHUNK_RECORDS) * recordBytes;
        chunk.putBytes(offset + DIMS, quantised);
        chunk.putFloat(offset + SCALE, scale);
    }

    /** Whether a vector is stored at {@code index}. */
    public boolean has(final int index) {
        final UnsafeBuffer[] c = chunks;
        final int chunk = index / CHUNK_RECORDS;
        return chunk < c.length && c[chunk].getFloat((index % CHUNK_RECORDS) * recordBytes + SCALE) != 0f;
    }

    /** Any thread: copies the quantised vector at {@code index} into {@code into}; returns its scale, 0 when none. */
    public float read(final int index, final byte[] into) {
        final UnsafeBuffer[] c = chunks;
        final int chunk = index / CHUNK_RECORDS;
        if (chunk >= c.length) {
            return 0f;
        }
        final int offset = (index % CHUNK_RECORDS) * recordBytes;
        c[chunk].getBytes(offset + DIMS, into, 0, dimensions);
        return c[chunk].getFloat(offset + SCALE);
    }

    /** Adds the vector at {@code index}, dequantised, to {@code sum} (length {@link #dimensions()}); none: nothing. */
    void addTo(final int index, final float[] sum) {
        final UnsafeBuffer[] c = chunks;
        final int chunk = index / CHUNK_RECORDS;
        if (chunk >= c.length) {
            return;
        }
        final int offset = (index % CHUNK_RECORDS) * recordBytes;
        final float scale = c[chunk].getFloat(offset + SCALE);
        for (int d = 0; d < dimensions; d++) {
            sum[d] += c[chunk].getByte(offset + DIMS + d) * scale;
        }
    }

    /**
     * Dot product of a query (quantised as {@link #quantise} does) with the stored vector at {@code index}, copied
     * into {@code scratch} first (a 384-byte copy costs a fraction of the product, {@link QuantisedDot}).
     */
    public float dot(final byte[] query, final float queryScale, final int index, final byte[] scratch) {
        final float scale = read(index, scratch);
        return scale == 0f ? 0f : dot(query, queryScale, scratch, scale);
    }

    /** Dot product of two vectors quantised as {@link #quantise} does (one read by {@link #read}), with their scales. */
    public float dot(final byte[] a, final float aScale, final byte[] b, final float bScale) {
        return QuantisedDot.dot(a, b, dimensions) * bScale * aScale; // the order of the index path's products
    }

    /** Quantises {@code unit} into {@code into} the way stored vectors are; returns the scale. */
    public static float quantise(final float[] unit, final byte[] into) {
        float max = 0f;
        for (final float x : unit) {
            max = Math.max(max, Math.abs(x));
        }
        final float scale = max == 0f ? Float.MIN_NORMAL : max / 127f;
        for (int d = 0; d < unit.length; d++) {
            into[d] = (byte) Math.round(unit[d] / scale);
        }
        return scale;
    }

    /**
     * Returns every chunk's direct memory now ({@link DirectMemory#free}); the table is never used again. Only when no
     * thread reads it any more: a reader still holding a chunk from before would touch freed memory.
     */
    void release() {
        final UnsafeBuffer[] all = chunks;
        chunks = new UnsafeBuffer[0];
        for (final UnsafeBuffer chunk : all) {
            DirectMemory.free(chunk);
        }
    }

    /** Off-heap bytes reserved. */
    public long reservedBytes() {
        return (long) chunks.length * CHUNK_RECORDS * recordBytes;
    }

    private UnsafeBuffer chunkForWrite(final int chunk) {
        UnsafeBuffer[] c = chunks;
        if (chunk >= c.length) {
            final UnsafeBuffer[] grown = Arrays.copyOf(c, chunk + 1);
            for (int i = c.length; i <= chunk; i++) {
                grown[i] = DirectMemory.allocate(CHUNK_RECORDS * recordBytes);
            }
            chunks = grown;
            c = grown;
        }
        return c[chunk];
    }
}
