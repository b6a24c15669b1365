package ai.continuum.semantic;

import java.nio.ByteBuffer;

/**
 * One quantised vector per vocabulary token: each row a scale and {@code dimensions} signed bytes, the row's value
 * being {@code scale * byte}. The format, little-endian: the int {@link #MAGIC}, the token count, the dimensions, then
 * per token its float scale and its bytes. Immutable once read.
 */
final class TokenVectorTable {
    /** "CTV1": a table of this format; a file without it is refused rather than read as numbers. */
    static final int MAGIC = 0x31565443;

    private final int dimensions;
    private final float[] scales;
    private final byte[] values;

    private TokenVectorTable(final int dimensions, final float[] scales, final byte[] values) {
        this.dimensions = dimensions;
        this.scales = scales;
        this.values = values;
    }

    int dimensions() {
        return dimensions;
    }

    int tokens() {
        return scales.length;
    }

    /** Adds token {@code id}'s row to {@code sum}; an id outside the table (none from its own tokenizer) adds nothing. */
    void addRow(final int id, final float[] sum) {
        if (id < 0 || id >= scales.length) {
            return;
        }
        final float scale = scales[id];
        final int base = id * dimensions;
        for (int d = 0; d < dimensions; d++) {
            sum[d] += scale * values[base + d];
        }
    }

    /** Quantises {@code rows} (all of one length), each to the byte range of its own largest magnitude. */
    static TokenVectorTable quantise(final float[][] rows) {
        final int dimensions = rows[0].length;
        final float[] scales = new float[rows.length];
        final byte[] values = new byte[rows.length * dimensions];
        for (int id = 0; id < rows.length; id++) {
            float max = 0;
            for (final float x : rows[id]) {
                max = Math.max(max, Math.abs(x));
            }
            final float scale = max == 0 ? 0 : max / 127f;
            scales[id] = scale;
            for (int d = 0; d < dimensions; d++) {
                values[id * dimensions + d] = scale == 0 ? 0 : (byte) Math.round(rows[id][d] / scale);
            }
        }
        return new TokenVectorTable(dimensions, scales, values);
    }

    /** The table's bytes, in the format {@link #read} takes; {@code out} must be little-endian. */
    void write(final ByteBuffer out) {
        out.putInt(MAGIC).putInt(scales.length).putInt(dimensions);
        for (int id = 0; id < scales.length; id++) {
            out.putFloat(scales[id]).put(values, id * dimensions, dimensions);
        }
    }

    int byteSize() {
        return 12 + scales.length * (4 + dimensions);
    }

    static TokenVectorTable read(final ByteBuffer in) {
        if (in.remaining() < 12 || in.getInt() != MAGIC) {
            throw new IllegalStateException("not a token vector table");
        }
        final int tokens = in.getInt();
        final int dimensions = in.getInt();
        if (tokens <= 0 || dimensions <= 0 || in.remaining() != (long) tokens * (4 + dimensions)) {
            throw new IllegalStateException("a token vector table of " + tokens + " x " + dimensions
                    + " does not match its " + in.remaining() + " bytes");
        }
        final float[] scales = new float[tokens];
        final byte[] values = new byte[tokens * dimensions];
        for (int id = 0; id < tokens; id++) {
            scales[id] = in.getFloat();
            in.get(values, id * dimensions, dimensions);
        }
        return new TokenVectorTable(dimensions, scales, values);
    }
}
