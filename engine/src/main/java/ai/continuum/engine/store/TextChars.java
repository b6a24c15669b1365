package ai.continuum.engine.store;

import java.nio.charset.StandardCharsets;

/**
 * A stored text decoded into a reused character array and read as a {@link CharSequence}: what recall's link steps
 * analyse in place of a string per memory they follow. An ASCII text (most) is widened byte by byte; any other is
 * decoded by the {@code String} constructor, as every other read of the text is, and its characters copied.
 *
 * <p>Valid until the next {@link #load}. One thread at a time: a reader keeps its own in its scratch. The array grows
 * to the longest text loaded, up to {@link #MAX_RETAINED} characters; a longer text is held only until the next
 * shorter one.
 */
public final class TextChars implements CharSequence {
    static final int MAX_RETAINED = 16 * 1024;

    private static final int INITIAL_CHARS = 256;

    private char[] chars = new char[INITIAL_CHARS];
    private int length;

    /** Decodes the {@code byteCount} UTF-8 bytes at {@code at}, copied through {@code buffer}. */
    public void load(final OffHeapArena arena, final long at, final int byteCount, final DecodeBuffer buffer) {
        final byte[] bytes = buffer.atLeast(byteCount);
        arena.getBytes(at, bytes, 0, byteCount);
        for (int i = 0; i < byteCount; i++) {
            if (bytes[i] < 0) {
                final String text = new String(bytes, 0, byteCount, StandardCharsets.UTF_8);
                fit(text.length());
                text.getChars(0, text.length(), chars, 0);
                length = text.length();
                return;
            }
        }
        fit(byteCount);
        for (int i = 0; i < byteCount; i++) {
            chars[i] = (char) bytes[i];
        }
        length = byteCount;
    }

    /** Empties it, and gives back its array when that has grown beyond {@code maxChars}. */
    public void release(final int maxChars) {
        if (chars.length > maxChars) {
            chars = new char[INITIAL_CHARS];
        }
        length = 0;
    }

    private void fit(final int needed) {
        if (needed > chars.length || (chars.length > MAX_RETAINED && needed <= MAX_RETAINED)) {
            chars = new char[Math.max(needed, Math.min(MAX_RETAINED, 2 * chars.length))];
        }
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public char charAt(final int index) {
        if (index < 0 || index >= length) {
            throw new IndexOutOfBoundsException("index " + index + " of " + length);
        }
        return chars[index];
    }

    /** Copies chars {@code [begin, end)} into {@code dst} at {@code at}, as {@link String#getChars} does. */
    public void getChars(final int begin, final int end, final char[] dst, final int at) {
        java.util.Objects.checkFromToIndex(begin, end, length);
        System.arraycopy(chars, begin, dst, at, end - begin);
    }

    /** Appends chars {@code [begin, end)} to {@code out} in one copy, not char by char. */
    public void appendTo(final StringBuilder out, final int begin, final int end) {
        java.util.Objects.checkFromToIndex(begin, end, length);
        out.append(chars, begin, end - begin);
    }

    @Override
    public CharSequence subSequence(final int start, final int end) {
        return toString().substring(start, end);
    }

    @Override
    public String toString() {
        return new String(chars, 0, length);
    }
}
