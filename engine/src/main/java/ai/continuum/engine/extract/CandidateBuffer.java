package ai.continuum.engine.extract;

import java.util.Arrays;
import java.util.Collections;
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

    private static final int[] NONE = new int[0];

    private long[] keys = new long[16];
    /**
     * Candidate {@code i} is the chars {@code [starts[i], ends[i])} of {@code sources[i]}: a span of the text being
     * scanned (a word, a phrase as it stands), or a whole string of its own (a phrase whose gaps were folded, a trimmed
     * quote). A span becomes a string only when a caller asks for strings ({@link #select}).
     */
    private String[] sources = new String[16];
    /**
     * Whether candidates stay spans until selected (a reusable parser's buffer, whose query terms make no strings);
     * otherwise a span is copied into a string when it is added, and {@link #starts} and {@link #ends} are not kept
     * (a buffer made for one extraction, which asks for strings anyway).
     */
    private final boolean keepsSpans;

    private int[] starts;
    private int[] ends;
    private int count;
    /** The candidates the last selection accepted, in order. */
    private int[] accepted = NONE;

    private int acceptedCount;

    /** Where {@link #selectInto} puts each accepted candidate: the chars {@code [start, end)} of {@code source}. */
    interface Sink {
        void accept(String source, int start, int end);
    }

    /** A buffer for one extraction: every candidate a string. */
    CandidateBuffer() {
        this(false);
    }

    /** @param keepsSpans whether candidates stay spans of their text until selected (a reusable parser's buffer). */
    CandidateBuffer(final boolean keepsSpans) {
        this.keepsSpans = keepsSpans;
        if (keepsSpans) {
            starts = new int[16];
            ends = new int[16];
        }
    }

    /** Empties the buffer for the next call; keeps no candidate's text, nor the arrays of an unusually large call. */
    void clear() {
        if (keys.length > KEPT_CAPACITY) {
            keys = new long[16];
            sources = new String[16];
            if (keepsSpans) {
                starts = new int[16];
                ends = new int[16];
            }
            accepted = NONE;
        } else {
            Arrays.fill(sources, 0, count, null);
        }
        count = 0;
        acceptedCount = 0;
    }

    /** A candidate that is a string of its own. */
    void add(final int offset, final int kind, final String value) {
        append(offset, kind, value, 0, value.length());
    }

    /**
     * A candidate that is the chars {@code [start, end)} of {@code source}: kept as a span until a string is asked for
     * when this buffer {@link #keepsSpans keeps spans}, else copied now.
     */
    void add(final int offset, final int kind, final String source, final int start, final int end) {
        if (keepsSpans) {
            append(offset, kind, source, start, end);
        } else {
            add(offset, kind, source.substring(start, end));
        }
    }

    private void append(final int offset, final int kind, final String source, final int start, final int end) {
        if (count == MAX_CANDIDATES) {
            return;
        }
        if (count == keys.length) {
            keys = Arrays.copyOf(keys, count * 2);
            sources = Arrays.copyOf(sources, count * 2);
            if (keepsSpans) {
                starts = Arrays.copyOf(starts, count * 2);
                ends = Arrays.copyOf(ends, count * 2);
            }
        }
        keys[count] = ((long) offset << OFFSET_SHIFT) | ((long) kind << KIND_SHIFT) | count;
        sources[count] = source;
        if (keepsSpans) {
            starts[count] = start;
            ends[count] = end;
        }
        count++;
    }

    private int start(final int c) {
        return keepsSpans ? starts[c] : 0;
    }

    private int end(final int c) {
        return keepsSpans ? ends[c] : sources[c].length();
    }

    /**
     * At most {@code cap} values in order of first appearance, duplicates removed: exact duplicates, or with
     * {@code ignoreCase} those equal after {@code toLowerCase(Locale.ROOT)} (the first spelling wins).
     */
    List<String> select(final int cap, final boolean ignoreCase) {
        if (count == 0) {
            return List.of();
        }
        selectAccepted(cap, ignoreCase);
        final String[] values = new String[acceptedCount];
        for (int i = 0; i < acceptedCount; i++) {
            values[i] = value(accepted[i]);
        }
        return Collections.unmodifiableList(Arrays.asList(values)); // a view of the array, not a copy of it
    }

    /** {@link #select}'s values into {@code sink}, in order, as spans: a reusable parser's, which makes no string. */
    void selectInto(final int cap, final boolean ignoreCase, final Sink sink) {
        selectAccepted(cap, ignoreCase);
        for (int i = 0; i < acceptedCount; i++) {
            final int c = accepted[i];
            sink.accept(sources[c], start(c), end(c));
        }
    }

    private void selectAccepted(final int cap, final boolean ignoreCase) {
        Arrays.sort(keys, 0, count);
        final int limit = Math.min(cap, count);
        if (accepted.length < limit) {
            accepted = new int[keepsSpans ? Math.max(limit, accepted.length * 2) : limit];
        }
        acceptedCount = 0;
        Set<String> seen = null;
        for (int k = 0; k < count && acceptedCount < limit; k++) {
            final int c = (int) (keys[k] & INDEX_MASK);
            if (seen == null && acceptedCount > LINEAR_DEDUP_LIMIT) {
                seen = new HashSet<>();
                for (int i = 0; i < acceptedCount; i++) {
                    seen.add(identity(accepted[i], ignoreCase));
                }
            }
            if (seen != null ? !seen.add(identity(c, ignoreCase)) : containsFirst(c, ignoreCase)) {
                continue;
            }
            accepted[acceptedCount++] = c;
        }
    }

    /**
     * Candidate {@code c} as a string, made at most once: a span's string replaces its source, so a candidate asked
     * for again (by the hash set of a long selection, then by {@link #select}) is not copied twice.
     */
    private String value(final int c) {
        final String source = sources[c];
        if (!keepsSpans || (starts[c] == 0 && ends[c] == source.length())) {
            return source;
        }
        final String value = source.substring(starts[c], ends[c]);
        sources[c] = value;
        starts[c] = 0;
        ends[c] = value.length();
        return value;
    }

    private String identity(final int c, final boolean ignoreCase) {
        return ignoreCase ? value(c).toLowerCase(Locale.ROOT) : value(c);
    }

    private boolean containsFirst(final int c, final boolean ignoreCase) {
        final int length = end(c) - start(c);
        for (int i = 0; i < acceptedCount; i++) {
            final int a = accepted[i];
            if (ignoreCase
                    ? sameLowerCase(sources[a], start(a), end(a), sources[c], start(c), end(c))
                    : end(a) - start(a) == length && sources[a].regionMatches(start(a), sources[c], start(c), length)) {
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
        return sameLowerCase(a, 0, a.length(), b, 0, b.length());
    }

    /** {@link #sameLowerCase(String, String)} of {@code a[aFrom, aTo)} and {@code b[bFrom, bTo)}. */
    static boolean sameLowerCase(
            final String a, final int aFrom, final int aTo, final String b, final int bFrom, final int bTo) {
        final int length = aTo - aFrom;
        if (length != bTo - bFrom) {
            // Latin-1 strings of different lengths stay different lengths in lower case.
            return !(latin1(a, aFrom, aTo) && latin1(b, bFrom, bTo))
                    && lowerCase(a, aFrom, aTo).equals(lowerCase(b, bFrom, bTo));
        }
        for (int i = 0; i < length; i++) {
            final char x = a.charAt(aFrom + i);
            final char y = b.charAt(bFrom + i);
            if (x >= LATIN1_END || y >= LATIN1_END) {
                return lowerCase(a, aFrom, aTo).equals(lowerCase(b, bFrom, bTo));
            }
            if (x != y && Character.toLowerCase(x) != Character.toLowerCase(y)) {
                return false;
            }
        }
        return true;
    }

    private static String lowerCase(final String s, final int from, final int to) {
        return s.substring(from, to).toLowerCase(Locale.ROOT);
    }

    private static boolean latin1(final String s, final int from, final int to) {
        for (int i = from; i < to; i++) {
            if (s.charAt(i) >= LATIN1_END) {
                return false;
            }
        }
        return true;
    }
}
