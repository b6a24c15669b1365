package ai.continuum.engine.extract;

/**
 * Finds quoted strings: straight double quotes ({@code "..."}) and typographic ones (U+201C ... U+201D). Stateless.
 *
 * <p>Straight quotes pair left to right like the regex {@code "([^"]+)"}: an empty pair {@code ""} is skipped and its
 * second quote may open the next string. A typographic string runs from the innermost opening mark before a closing
 * mark, so an unbalanced opener does not swallow text. Both scans are linear.
 */
final class Quotes {
    private static final char STRAIGHT = '"';
    private static final char OPEN = '\u201C';
    private static final char CLOSE = '\u201D';

    /** Receives the content region {@code [from, to)} (quotes excluded, never empty) of each quoted string. */
    @FunctionalInterface
    interface Sink {
        void accept(int from, int to);
    }

    private Quotes() {}

    static void scan(final String s, final Sink sink) {
        scanStraight(s, sink);
        if (s.indexOf(OPEN) >= 0) {
            scanTypographic(s, sink);
        }
    }

    private static void scanStraight(final String s, final Sink sink) {
        int from = 0;
        while (true) {
            final int open = s.indexOf(STRAIGHT, from);
            if (open < 0) {
                return;
            }
            final int close = s.indexOf(STRAIGHT, open + 1);
            if (close < 0) {
                return;
            }
            if (close == open + 1) {
                from = close;
                continue;
            }
            sink.accept(open + 1, close);
            from = close + 1;
        }
    }

    private static void scanTypographic(final String s, final Sink sink) {
        int from = 0;
        while (true) {
            final int close = s.indexOf(CLOSE, from);
            if (close < 0) {
                return;
            }
            // Search back no further than the previous closing mark, which keeps the whole scan linear.
            int open = close - 1;
            while (open >= from && s.charAt(open) != OPEN) {
                open--;
            }
            if (open >= from && close > open + 1) {
                sink.accept(open + 1, close);
            }
            from = close + 1;
        }
    }
}
