package ai.continuum.engine.extract;

/**
 * Unicode character classes shared by the scanners, with an ASCII fast path. Stateless.
 *
 * <p>A <em>word character</em> is a letter, a digit, an underscore or a combining mark (the Unicode reading of the
 * regex {@code \w}); a <em>token</em> is a maximal run of word characters, so token edges are exactly the regex word
 * boundaries. Combining marks count as word characters so that decomposed text ("Zoe" + U+0308) stays one token.
 */
final class Chars {
    /**
     * Stands in for removed code (see {@link CodeSpans#blank}): neither a word character nor whitespace, so words on
     * either side of removed code never join into one word or one phrase; inside a quoted string it reads as a space.
     */
    static final char CODE_FILLER = '\uFFFF';

    /** Indexed by ASCII code: letter, digit or underscore. */
    private static final boolean[] ASCII_WORD = new boolean[128];

    static {
        for (int c = 0; c < 128; c++) {
            ASCII_WORD[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
        }
    }

    private Chars() {}

    static boolean isWordChar(final int cp) {
        if (cp < 128) {
            return ASCII_WORD[cp];
        }
        return Character.isLetterOrDigit(cp) || isMark(cp);
    }

    /** Uppercase or titlecase letter ("Ǆ" starts a Title-Case word as well as "D" does). */
    static boolean isUpper(final int cp) {
        if (cp < 128) {
            return cp >= 'A' && cp <= 'Z';
        }
        return Character.isUpperCase(cp) || Character.isTitleCase(cp);
    }

    static boolean isLower(final int cp) {
        if (cp < 128) {
            return cp >= 'a' && cp <= 'z';
        }
        return Character.isLowerCase(cp);
    }

    static boolean isLetter(final int cp) {
        if (cp < 128) {
            return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
        }
        return Character.isLetter(cp);
    }

    /** A combining mark; it belongs to the letter before it and never changes a word's shape. */
    static boolean isMark(final int cp) {
        if (cp < 0x300) {
            return false;
        }
        final int type = Character.getType(cp);
        return type == Character.NON_SPACING_MARK
                || type == Character.COMBINING_SPACING_MARK
                || type == Character.ENCLOSING_MARK;
    }

    /** Whitespace including the no-break spaces, like the regex {@code \s} on Unicode text. */
    static boolean isSpace(final char c) {
        if (c < 128) {
            return c == ' ' || (c >= '\t' && c <= '\r') || (c >= '\u001C' && c <= '\u001F');
        }
        return Character.isWhitespace(c) || Character.isSpaceChar(c);
    }

    /** Index just past the token that starts at {@code start} (which must hold a word character). */
    static int tokenEnd(final String s, final int start) {
        final int n = s.length();
        int i = start;
        while (i < n) {
            final char c = s.charAt(i);
            if (c < 128) {
                if (!ASCII_WORD[c]) {
                    return i;
                }
                i++;
            } else {
                final int cp = s.codePointAt(i);
                if (!isWordChar(cp)) {
                    return i;
                }
                i += Character.charCount(cp);
            }
        }
        return n;
    }

    /** Whether {@code s[from, to)} is non-empty and all whitespace. */
    static boolean isAllSpace(final String s, final int from, final int to) {
        if (from >= to) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if (!isSpace(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code s[from, to)} trimmed, with every inner run of whitespace or removed code folded to one space; the region
     * itself when it is already in that form (no copy beyond the substring).
     */
    static String trimFolded(final String s, final int from, final int to) {
        int a = from;
        int b = to;
        while (a < b && isGap(s.charAt(a))) {
            a++;
        }
        while (b > a && isGap(s.charAt(b - 1))) {
            b--;
        }
        boolean clean = true;
        for (int i = a; i < b; i++) {
            final char c = s.charAt(i);
            if (isGap(c) && (c != ' ' || isGap(s.charAt(i + 1)))) {
                clean = false;
                break;
            }
        }
        if (clean) {
            return s.substring(a, b);
        }
        final StringBuilder out = new StringBuilder(b - a);
        boolean space = false;
        for (int i = a; i < b; i++) {
            final char c = s.charAt(i);
            if (isGap(c)) {
                space = true;
                continue;
            }
            if (space) {
                out.append(' ');
                space = false;
            }
            out.append(c);
        }
        return out.toString();
    }

    private static boolean isGap(final char c) {
        return c == CODE_FILLER || isSpace(c);
    }

    /** Length in code points, the unit of every length limit in this package. */
    static int length(final String s) {
        return s.codePointCount(0, s.length());
    }

    /** {@code c} lower-cased if it is an ASCII letter, else unchanged. */
    static char asciiLower(final char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
    }
}
