package ai.continuum.engine.store;

import java.nio.charset.StandardCharsets;
import org.agrona.collections.IntArrayList;

/**
 * Strings and int lists packed into one arena block: each string as {@code int byteLength} + UTF-8, each int list as
 * {@code int count} + ints. Written once by the writer, then read-only until freed.
 */
public final class TextBlob {
    private TextBlob() {}

    /** Bytes needed for these strings followed by an int list of {@code ints} values. */
    public static int sizeOf(final byte[][] strings, final int ints) {
        int size = 4 + ints * 4;
        for (final byte[] s : strings) {
            size += 4 + s.length;
        }
        return size;
    }

    public static byte[] utf8(final String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Writes the strings then the ints; returns the block address. */
    public static long write(final OffHeapArena arena, final byte[][] strings, final int[] ints, final int intCount) {
        final int size = sizeOf(strings, intCount);
        final long addr = arena.allocate(size);
        long at = addr;
        for (final byte[] s : strings) {
            arena.putInt(at, s.length);
            arena.putBytes(at + 4, s, 0, s.length);
            at += 4 + s.length;
        }
        arena.putInt(at, intCount);
        at += 4;
        for (int i = 0; i < intCount; i++) {
            arena.putInt(at + i * 4L, ints[i]);
        }
        return addr;
    }

    /**
     * Reads {@code count} strings from {@code addr} into {@code out}, each copied through {@code buffer}; returns the
     * address after them.
     */
    public static long readStrings(
            final OffHeapArena arena, final long addr, final String[] out, final int count, final DecodeBuffer buffer) {
        long at = addr;
        for (int i = 0; i < count; i++) {
            final int len = stringLength(arena, at);
            out[i] = buffer.utf8(arena, at + 4, len);
            at += 4 + len;
        }
        return at;
    }

    /**
     * Decodes string {@code i} of the {@code count} strings at {@code addr} into {@code out[i]} where that is not null
     * (the others are skipped, not decoded), each copied through {@code buffer}; returns the address after them.
     */
    static long readChars(
            final OffHeapArena arena,
            final long addr,
            final int count,
            final TextChars[] out,
            final DecodeBuffer buffer) {
        long at = addr;
        for (int i = 0; i < count; i++) {
            final int len = stringLength(arena, at);
            if (out[i] != null) {
                out[i].load(arena, at + 4, len, buffer);
            }
            at += 4 + len;
        }
        return at;
    }

    /** The byte length of the string stored at {@code at}, checked against the arena. */
    private static int stringLength(final OffHeapArena arena, final long at) {
        final int len = arena.getInt(at);
        if (len < 0 || !arena.isValid(at + 4, len)) {
            throw new IllegalStateException("corrupt text block at " + at);
        }
        return len;
    }

    /** Reads the int list at {@code addr} (as returned by {@link #readStrings}). */
    public static int[] readInts(final OffHeapArena arena, final long addr) {
        final int[] out = new int[intCount(arena, addr)];
        for (int i = 0; i < out.length; i++) {
            out[i] = arena.getInt(addr + 4 + i * 4L);
        }
        return out;
    }

    /** Appends the int list at {@code addr} to {@code out}, which a reader reuses. */
    static void readInts(final OffHeapArena arena, final long addr, final IntArrayList out) {
        final int count = intCount(arena, addr);
        for (int i = 0; i < count; i++) {
            out.addInt(arena.getInt(addr + 4 + i * 4L));
        }
    }

    private static int intCount(final OffHeapArena arena, final long addr) {
        final int count = arena.getInt(addr);
        if (count < 0 || !arena.isValid(addr + 4, count * 4)) {
            throw new IllegalStateException("corrupt int list at " + addr);
        }
        return count;
    }

    /** Zeroes then frees a block of {@code size} bytes, so forgotten text does not linger in memory. */
    public static void erase(final OffHeapArena arena, final long addr, final int size) {
        arena.buffer(addr).setMemory(OffHeapArena.offset(addr), size, (byte) 0);
        arena.free(addr, size);
    }
}
