package ai.continuum.engine.extract;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Candidates of one extraction call, each tagged with the text offset where it starts and its kind, then sorted into
 * order of first appearance, de-duplicated and capped by {@link #select}. Created per call, or kept by a reusable
 * parser and {@link #clear cleared} between calls; confined to one thread.
 */
final class CandidateBuffer {
    /** Candidate kinds. At one offset the lower kind comes first (specification order a, b, c, d, then query forms). */
    static final int PHRASE = 0;

    static final int SINGLE = 1;
    static final int QUOTED = 2;
    static final int CAMEL = 3;
    static final int QUERY_PHRASE = 4;
    static final int QUERY_QUOTED = 5;
    static final int QUERY_CAMEL = 6;
    static final int SNAKE = 7;
    static final int ACRONYM = 8;
    static final int PI_PHI = 9;

    /** Sort key layout: offset in bits 28..58, kind in bits 24..27, insertion index in bits 0..23. */
    private static final int KIND_SHIFT = 24;

    private static final int OFFSET_SHIFT = 28;
    private static final int INDEX_MASK = (1 << KIND_SHIFT) - 1;
    /** Candidates beyond this many are ignored; a text would need tens of megabytes to reach it. */
    private static final int MAX_CANDIDATES = INDEX_MASK + 1;
    /** Up to this many accepted values, duplicates are found by a linear scan; beyond it, by a hash set. */
    private static final int LINEAR_DEDUP_LIMIT = 16;

    /** Chars below this are lower-cased one to one by {@code String.toLowerCase(Locale.ROOT)}. */
    private static final char LATIN1_END = '\u0100';

    /** Arrays kept across {@link #clear}: beyond this many candidates (a huge text) they are given back. */
    private static final int KEPT_CAPACITY = 256;

    private long[] keys = new long[16];
    private String[] values = new String[16];
    private int count;

    /** Empties the buffer for the next call; keeps no candidate string, nor the arrays of an unusually large call. */
    void clear() {
        if (keys.length > KEPT_CAPACITY) {
            keys = new long[16];
            values = new String[16];
        } else {
            Arrays.fill(values, 0, count, null);
        }
        count = 0;
    }

    void add(final int offset, final int kind, final String value) {
        if (count == MAX_CANDIDATES) {
            return;
        }
        if (count == keys.length) {
            keys = Arrays.copyOf(keys, count * 2);
            values = Arrays.copyOf(values, count * 2);
        }
        keys[count] = ((long) offset << OFFSET_SHIFT) | ((long) kind << KIND_SHIFT) | count;
        values[count] = value;
        count++;
    }

    /**
     * At most {@code cap} values in order of first appearance, duplicates removed: exact duplicates, or with
     * {@code ignoreCase} those equal after {@code toLowerCase(Locale.ROOT)} (the first spelling wins).
     */
    List<String> select(final int cap, final boolean ignoreCase) {
        if (count == 0) {
            return List.of();
        }
        final List<String> accepted = new ArrayList<>(Math.min(cap, count));
        selectInto(cap, ignoreCase, accepted);
        return List.copyOf(accepted);
    }

    /** {@link #select} into {@code accepted}, an empty list the caller keeps (a reusable parser's). */
    void selectInto(final int cap, final boolean ignoreCase, final List<String> accepted) {
        Arrays.sort(keys, 0, count);
        final int limit = Math.min(cap, count);
        Set<String> seen = null;
        for (int k = 0; k < count && accepted.size() < limit; k++) {
            final String value = values[(int) (keys[k] & INDEX_MASK)];
            if (seen == null && accepted.size() > LINEAR_DEDUP_LIMIT) {
                seen = new HashSet<>();
                for (int i = 0; i < accepted.size(); i++) {
                    seen.add(identity(accepted.get(i), ignoreCase));
                }
            }
            if (seen != null ? !seen.add(identity(value, ignoreCase)) : containsFirst(accepted, value, ignoreCase)) {
                continue;
            }
            accepted.add(value);
        }
    }

    private static String identity(final String value, final boolean ignoreCase) {
        return ignoreCase ? value.toLowerCase(Locale.ROOT) : value;
    }

    private static boolean containsFirst(final List<String> accepted, final String value, final boolean ignoreCase) {
        for (int i = 0; i < accepted.size(); i++) {
            if (ignoreCase
                    ? sameLowerCase(accepted.get(i), value)
                    : accepted.get(i).equals(value)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether {@code a} and {@code b} are equal after {@code toLowerCase(Locale.ROOT)}, without building either
     * (recall extracts a query's terms on every call). Below U+0100 that method lower-cases char by char, so
     * {@link Character#toLowerCase(char)} per char decides; beyond it (context-dependent final sigma, U+0130's two
     * chars) the two lower-case forms are built and compared.
     */
    static boolean sameLowerCase(final String a, final String b) {
        if (a.length() != b.length()) {
            // Latin-1 strings of different lengths stay different lengths in lower case.
            return !(latin1(a) && latin1(b)) && a.toLowerCase(Locale.ROOT).equals(b.toLowerCase(Locale.ROOT));
        }
        for (int i = 0; i < a.length(); i++) {
            final char x = a.charAt(i);
            final char y = b.charAt(i);
            if (x >= LATIN1_END || y >= LATIN1_END) {
                return a.toLowerCase(Locale.ROOT).equals(b.toLowerCase(Locale.ROOT));
            }
            if (x != y && Character.toLowerCase(x) != Character.toLowerCase(y)) {
                return false;
            }
        }
        return true;
    }

    private static boolean latin1(final String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= LATIN1_END) {
                return false;
            }
        }
        return true;
    }
}
