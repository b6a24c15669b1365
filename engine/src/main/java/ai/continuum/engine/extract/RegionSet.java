package ai.continuum.engine.extract;

import java.util.Collection;
import java.util.Locale;

/**
 * A fixed set of short strings that answers "is {@code s[from, to)} a member?" without building a substring, for
 * the per-token stop-word tests on the extraction hot path. Immutable after construction, so safe to share.
 */
final class RegionSet {
    /** Open-addressing table; length is a power of two and at least twice the member count, so probes end. */
    private final String[] table;

    private final int mask;
    private final boolean ignoreCase;

    /**
     * @param members    the strings; with {@code ignoreCase} they must be lower-case ASCII.
     * @param ignoreCase whether lookups fold ASCII letters to lower case first.
     */
    RegionSet(final Collection<String> members, final boolean ignoreCase) {
        this.ignoreCase = ignoreCase;
        int size = 16;
        while (size < members.size() * 2) {
            size <<= 1;
        }
        this.table = new String[size];
        this.mask = size - 1;
        for (final String member : members) {
            if (ignoreCase && !member.equals(member.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("member=" + member + " must be lower-case when ignoring case");
            }
            int slot = hash(member, 0, member.length()) & mask;
            while (table[slot] != null) {
                slot = (slot + 1) & mask;
            }
            table[slot] = member;
        }
    }

    boolean contains(final String s, final int from, final int to) {
        final int length = to - from;
        int slot = hash(s, from, to) & mask;
        for (String member = table[slot]; member != null; member = table[slot]) {
            if (member.length() == length && member.regionMatches(ignoreCase, 0, s, from, length)) {
                return true;
            }
            slot = (slot + 1) & mask;
        }
        return false;
    }

    private int hash(final String s, final int from, final int to) {
        int h = 0;
        for (int i = from; i < to; i++) {
            final char c = s.charAt(i);
            h = 31 * h + (ignoreCase ? Chars.asciiLower(c) : c);
        }
        return h ^ (h >>> 16);
    }
}
