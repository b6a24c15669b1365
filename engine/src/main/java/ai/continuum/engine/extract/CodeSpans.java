package ai.continuum.engine.extract;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Code in prose: removing fenced blocks and inline backtick spans before extraction, and the substrings that mark a
 * quoted string as code. Stateless.
 */
final class CodeSpans {
    /** Substrings that mark text as code (specification 2.2). Case-sensitive. */
    static final List<String> INDICATORS = List.of(
            "def ",
            "class ",
            "import ",
            "from ",
            "()",
            "{}",
            "[]",
            "```",
            "return ",
            "self.",
            "async ",
            "await ",
            "==",
            "!=",
            "+=",
            "-=",
            "**",
            "//",
            "${",
            "function ",
            "const ",
            "let ");

    private static final String FENCE = "```";

    /** Indicators grouped by first character (all ASCII), so the scan tests only those that can start at a char. */
    private static final String[][] BY_FIRST_CHAR = new String[128][];

    static {
        for (char c = 0; c < 128; c++) {
            final List<String> starting = new ArrayList<>();
            for (final String indicator : INDICATORS) {
                if (indicator.charAt(0) == c) {
                    starting.add(indicator);
                }
            }
            BY_FIRST_CHAR[c] = starting.isEmpty() ? null : starting.toArray(String[]::new);
        }
    }

    private CodeSpans() {}

    /** Whether {@code s[from, to)} contains any of the {@link #INDICATORS}. */
    static boolean containsIndicator(final String s, final int from, final int to) {
        for (int i = from; i < to; i++) {
            final char c = s.charAt(i);
            if (c >= 128) {
                continue;
            }
            final String[] starting = BY_FIRST_CHAR[c];
            if (starting == null) {
                continue;
            }
            for (final String indicator : starting) {
                if (i + indicator.length() <= to && s.startsWith(indicator, i)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The text with every char of code replaced by {@link Chars#CODE_FILLER}, so offsets into the result are offsets
     * into the input. Returns {@code text} itself when it has no backtick.
     *
     * <ol>
     *   <li>Fenced blocks: three backticks, an optional info word ({@code python}, {@code c++}, {@code objective-c},
     *       optionally surrounded by spaces or tabs), a line break, then everything up to and including the next three
     *       backticks. An unclosed fence is left alone, as in the original.</li>
     *   <li>Then inline spans on what remains: a backtick, one or more non-backtick characters (line breaks
     *       included), a backtick.</li>
     * </ol>
     * Replacing with a filler that is neither a word character nor whitespace (rather than deleting) keeps the words
     * around removed code apart: "Tensor`x`Flow" turns into neither "TensorFlow" nor the phrase "Tensor Flow".
     */
    static String blank(final String text) {
        if (text.indexOf('`') < 0) {
            return text;
        }
        final char[] out = text.toCharArray();
        blankFenced(text, out);
        blankInline(out);
        return new String(out);
    }

    private static void blankFenced(final String text, final char[] out) {
        int from = 0;
        while (true) {
            final int open = text.indexOf(FENCE, from);
            if (open < 0) {
                return;
            }
            final int bodyStart = openingLineEnd(text, open + FENCE.length());
            if (bodyStart < 0) {
                from = open + 1;
                continue;
            }
            final int close = text.indexOf(FENCE, bodyStart);
            if (close < 0) {
                // No closing fence after this opening means none after any later opening either.
                return;
            }
            final int end = close + FENCE.length();
            Arrays.fill(out, open, end, Chars.CODE_FILLER);
            from = end;
        }
    }

    /** Index just past the newline ending a fence's info line that starts at {@code i}, or -1 if it is not one. */
    private static int openingLineEnd(final String text, final int i) {
        final int n = text.length();
        int p = i;
        while (p < n && (text.charAt(p) == ' ' || text.charAt(p) == '\t')) {
            p++;
        }
        while (p < n && isInfoChar(text.charAt(p))) {
            p++;
        }
        while (p < n && (text.charAt(p) == ' ' || text.charAt(p) == '\t' || text.charAt(p) == '\r')) {
            p++;
        }
        return p < n && text.charAt(p) == '\n' ? p + 1 : -1;
    }

    private static boolean isInfoChar(final char c) {
        return Chars.isWordChar(c) || c == '+' || c == '-' || c == '#' || c == '.';
    }

    private static void blankInline(final char[] out) {
        int from = 0;
        while (true) {
            final int open = indexOf(out, '`', from);
            if (open < 0) {
                return;
            }
            final int close = indexOf(out, '`', open + 1);
            if (close < 0) {
                return;
            }
            if (close == open + 1) {
                // Empty span "``": not a span; the second backtick may open one.
                from = close;
                continue;
            }
            Arrays.fill(out, open, close + 1, Chars.CODE_FILLER);
            from = close + 1;
        }
    }

    private static int indexOf(final char[] chars, final char c, final int from) {
        for (int i = from; i < chars.length; i++) {
            if (chars[i] == c) {
                return i;
            }
        }
        return -1;
    }
}
