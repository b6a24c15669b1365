package ai.continuum.engine.extract;

import java.util.Arrays;

/**
 * The distinct terms of a text in order of first appearance ({@link TermAnalyzer#forEachTerm} into {@link #accept}),
 * held in one reused character buffer: what a recall looks up and compares against without a string per term. Lookups
 * go through an open-addressing table of term positions, so a query of many terms costs time linear in its terms.
 *
 * <p>Not thread-safe: one per reader, {@link #clear cleared} for each text.
 */
public final class TermList implements TermAnalyzer.TermSink {
    private static final int EMPTY = -1;
    /** What a cleared list keeps of a long text's buffers, so a pooled list never pins one huge query's. */
    private static final int RETAINED_CHARS = 4096;

    private static final int RETAINED_SLOTS = 1024;

    private final StringBuilder chars = new StringBuilder(256);
    /** Term {@code i} is {@code chars[ends[i - 1] .. ends[i])} ({@code 0} for the first). */
    private int[] ends = new int[16];

    private int size;
    /** Term positions by hash, {@code EMPTY} where free; at most half full. */
    private int[] table = emptyTable(32);

    /** Forgets every term; the buffers are kept. */
    public void clear() {
        chars.setLength(0);
        if (chars.capacity() > RETAINED_CHARS) {
            chars.trimToSize();
        }
        if (ends.length > RETAINED_SLOTS) {
            ends = new int[16];
        }
        size = 0;
        if (table.length > RETAINED_SLOTS) {
            table = emptyTable(32);
        } else {
            Arrays.fill(table, EMPTY);
        }
    }

    /** Adds {@code term} unless it is already held (the analyser's sink). */
    @Override
    public void accept(final CharSequence term) {
        final int mask = table.length - 1;
        for (int slot = hash(term, 0, term.length()) & mask; ; slot = (slot + 1) & mask) {
            final int held = table[slot];
            if (held == EMPTY) {
                append(term, slot);
                return;
            }
            if (equalsTerm(held, term)) {
                return;
            }
        }
    }

    /** Whether {@code term} is held. */
    public boolean contains(final CharSequence term) {
        final int mask = table.length - 1;
        for (int slot = hash(term, 0, term.length()) & mask; ; slot = (slot + 1) & mask) {
            final int held = table[slot];
            if (held == EMPTY) {
                return false;
            }
            if (equalsTerm(held, term)) {
                return true;
            }
        }
    }

    public int size() {
        return size;
    }

    /** The buffer every term is a range of: {@link #start} to {@link #end}. Valid until the next change. */
    public CharSequence chars() {
        return chars;
    }

    public int start(final int i) {
        return i == 0 ? 0 : ends[i - 1];
    }

    public int end(final int i) {
        return ends[i];
    }

    /** Term {@code i} as a string (tests and logs; recall reads the ranges). */
    public String get(final int i) {
        return chars.substring(start(i), end(i));
    }

    private void append(final CharSequence term, final int slot) {
        if (size == ends.length) {
            ends = Arrays.copyOf(ends, 2 * size);
        }
        chars.append(term);
        ends[size] = chars.length();
        table[slot] = size++;
        if (2 * size > table.length) {
            rehash();
        }
    }

    private void rehash() {
        table = emptyTable(2 * table.length);
        final int mask = table.length - 1;
        for (int i = 0; i < size; i++) {
            int slot = hash(chars, start(i), end(i)) & mask;
            while (table[slot] != EMPTY) {
                slot = (slot + 1) & mask;
            }
            table[slot] = i;
        }
    }

    private boolean equalsTerm(final int i, final CharSequence term) {
        final int from = start(i);
        final int length = end(i) - from;
        if (length != term.length()) {
            return false;
        }
        for (int c = 0; c < length; c++) {
            if (chars.charAt(from + c) != term.charAt(c)) {
                return false;
            }
        }
        return true;
    }

    private static int hash(final CharSequence text, final int from, final int to) {
        int h = 0;
        for (int c = from; c < to; c++) {
            h = 31 * h + text.charAt(c);
        }
        return h ^ (h >>> 16);
    }

    private static int[] emptyTable(final int size) {
        final int[] t = new int[size];
        Arrays.fill(t, EMPTY);
        return t;
    }
}
