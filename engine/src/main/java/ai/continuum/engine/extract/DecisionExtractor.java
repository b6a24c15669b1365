package ai.continuum.engine.extract;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Finds the decisions an assistant announces (specification 2.3). Immutable and thread-safe.
 *
 * <p>Three patterns, matched ignoring the case of ASCII letters, each on its own:
 * <ol>
 *   <li>"I " then "will", "am going to", "decided to" or "chose to", then a space;</li>
 *   <li>"Creating", "Building", "Writing" or "Implementing", then a space;</li>
 *   <li>"My " then "decision", "choice" or "plan", a space, "is" or "was", then a space.</li>
 * </ol>
 * Each match captures the shortest text of at least one character up to the next period or line end (the period
 * is not part of it). A capture is kept when its trimmed length is strictly between {@value #MIN_EXCLUSIVE} and
 * {@value #MAX_EXCLUSIVE} characters. As in the original there is no word boundary before a pattern ("AI will"
 * and "Rewriting" match too), the matches of one pattern do not overlap, and duplicates are kept, including the
 * same text captured by two patterns. The result lists decisions in order of their position in the text.
 *
 * <p>Cost is linear in the text length: each pattern reads every character at most once more than the scan does.
 */
public final class DecisionExtractor {
    /** A kept decision is longer than this many characters (code points)... */
    public static final int MIN_EXCLUSIVE = 10;
    /** ...and shorter than this many. */
    public static final int MAX_EXCLUSIVE = 200;

    private static final String[] FIRST_PERSON_VERBS = {"will", "am going to", "decided to", "chose to"};
    private static final String[] PLAN_NOUNS = {"decision", "choice", "plan"};
    private static final String[] PLAN_VERBS = {"is", "was"};

    private static final int FIRST_PERSON = 0;
    private static final int GERUND = 1;
    private static final int PLAN = 2;

    /** Indexed by ASCII code: a letter some pattern starts with, in either case. */
    private static final boolean[] PATTERN_START = new boolean[128];

    static {
        for (final char c : "icbwm".toCharArray()) {
            PATTERN_START[c] = true;
            PATTERN_START[Character.toUpperCase(c)] = true;
        }
    }

    /** The decisions in {@code aiText}, trimmed, in order of position; unmodifiable. */
    public List<String> extract(final String aiText) {
        Objects.requireNonNull(aiText, "aiText");
        List<String> decisions = List.of();
        // Per pattern, the offset its next match may start at: matches of one pattern never overlap.
        final int[] next = new int[3];
        final int n = aiText.length();
        for (int i = 0; i < n; i++) {
            final char raw = aiText.charAt(i);
            if (raw >= 128 || !PATTERN_START[raw]) {
                continue;
            }
            final int pattern;
            final int captureStart;
            switch (Chars.asciiLower(raw)) {
                case 'i' -> {
                    final boolean firstPerson = i + 1 < n && aiText.charAt(i + 1) == ' ';
                    pattern = firstPerson ? FIRST_PERSON : GERUND;
                    captureStart = firstPerson
                            ? afterAny(aiText, i + 2, FIRST_PERSON_VERBS)
                            : afterWord(aiText, i, "implementing");
                }
                case 'c' -> {
                    pattern = GERUND;
                    captureStart = afterWord(aiText, i, "creating");
                }
                case 'b' -> {
                    pattern = GERUND;
                    captureStart = afterWord(aiText, i, "building");
                }
                case 'w' -> {
                    pattern = GERUND;
                    captureStart = afterWord(aiText, i, "writing");
                }
                default -> {
                    pattern = PLAN;
                    captureStart = plan(aiText, i);
                }
            }
            if (captureStart < 0 || i < next[pattern]) {
                continue;
            }
            final int captureEnd = captureEnd(aiText, captureStart);
            if (captureEnd < 0) {
                continue;
            }
            next[pattern] = captureEnd < n && aiText.charAt(captureEnd) == '.' ? captureEnd + 1 : captureEnd;
            final String decision = aiText.substring(captureStart, captureEnd).strip();
            final int length = Chars.length(decision);
            if (length > MIN_EXCLUSIVE && length < MAX_EXCLUSIVE) {
                if (decisions.isEmpty()) {
                    decisions = new ArrayList<>(4);
                }
                decisions.add(decision);
            }
        }
        return decisions.isEmpty() ? decisions : List.copyOf(decisions);
    }

    /** After "My &lt;noun&gt; &lt;is|was&gt; ", or -1. */
    private static int plan(final String s, final int i) {
        if (!matchesAt(s, i, "my")) {
            return -1;
        }
        final int noun = afterSpace(s, i + 2);
        final int verb = noun < 0 ? -1 : afterAny(s, noun, PLAN_NOUNS);
        return verb < 0 ? -1 : afterAny(s, verb, PLAN_VERBS);
    }

    /** After one of {@code words} and a space at {@code i}, or -1. The words must not be prefixes of each other. */
    private static int afterAny(final String s, final int i, final String[] words) {
        for (final String word : words) {
            if (matchesAt(s, i, word)) {
                return afterSpace(s, i + word.length());
            }
        }
        return -1;
    }

    /** After {@code word} and a space at {@code i}, or -1. */
    private static int afterWord(final String s, final int i, final String word) {
        return matchesAt(s, i, word) ? afterSpace(s, i + word.length()) : -1;
    }

    private static int afterSpace(final String s, final int i) {
        return i < s.length() && s.charAt(i) == ' ' ? i + 1 : -1;
    }

    /** Whether {@code word} (lower-case ASCII) is at {@code i}, ignoring the case of ASCII letters. */
    private static boolean matchesAt(final String s, final int i, final String word) {
        if (i + word.length() > s.length()) {
            return false;
        }
        for (int k = 0; k < word.length(); k++) {
            if (Chars.asciiLower(s.charAt(i + k)) != word.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    /**
     * End of the shortest capture starting at {@code start}: the first period or line feed after its first
     * character, or the end of the text; -1 when the capture cannot have its one character.
     */
    private static int captureEnd(final String s, final int start) {
        final int n = s.length();
        if (start >= n || s.charAt(start) == '\n') {
            return -1;
        }
        int e = start + 1;
        while (e < n && s.charAt(e) != '.' && s.charAt(e) != '\n') {
            e++;
        }
        return e;
    }
}
