package ai.continuum.engine.store;

import java.nio.charset.StandardCharsets;

/**
 * A byte array reused to copy UTF-8 text out of the arena before it becomes a {@code String}, so decoding a stored
 * string allocates the string alone. One thread at a time: a reader keeps one in its own scratch.
 *
 * <p>It grows to the longest text it decoded, up to {@link #MAX_RETAINED} bytes; a longer text gets an array of its own
 * that is not kept, so a pooled buffer never pins a large array after one long memory was read.
 */
public final class DecodeBuffer {
    static final int MAX_RETAINED = 16 * 1024;

    private byte[] bytes;

    /** A buffer that starts with {@code capacity} bytes (0 for a one-off decode: every array then fits its text). */
    public DecodeBuffer(final int capacity) {
        this.bytes = new byte[capacity];
    }

    /** The UTF-8 text of {@code length} bytes at {@code at}, copied through this buffer into a new string. */
    public String utf8(final OffHeapArena arena, final long at, final int length) {
        final byte[] text = atLeast(length);
        arena.getBytes(at, text, 0, length);
        return new String(text, 0, length, StandardCharsets.UTF_8);
    }

    /** An array of at least {@code length} bytes; its contents are undefined. */
    byte[] atLeast(final int length) {
        if (length <= bytes.length) {
            return bytes;
        }
        if (length > MAX_RETAINED) {
            return new byte[length];
        }
        bytes = new byte[Math.min(MAX_RETAINED, Math.max(length, bytes.length * 2))];
        return bytes;
    }
}
