package ai.continuum.engine.extract;

import java.util.Objects;

/**
 * Whether a recall query asks for several pieces of evidence at once: "Who helped carry the sofa, and what did he
 * qualify as?", "What allergies do Daniel and his wife have?", "Which mountain did they plan, and which did they climb
 * instead?". Such a question is answered by two or more memories, usually a matching turn and the turn that completes
 * it (the reply, or a turn in another session naming the same person), so recall gathers those too ({@code Recaller}).
 *
 * <p>The test is lexical and cheap: the query contains the word "and" or "both" (any case), as a whole word. A
 * conjunction inside one name ("salt and pepper") also counts; the evidence gathered for it ranks after the memory that
 * led to it, so a false positive costs places below the best match, not the best match itself. Pure and thread-safe.
 */
public final class QuestionShape {

    private QuestionShape() {}

    /** True when {@code query} asks for several things (see the class comment); linear in its length. */
    public static boolean asksSeveral(final CharSequence query) {
        Objects.requireNonNull(query, "query");
        final int n = query.length();
        int start = -1;
        for (int i = 0; i <= n; i++) {
            final boolean letter = i < n && Character.isLetter(query.charAt(i));
            if (letter && start < 0) {
                start = i;
            } else if (!letter && start >= 0) {
                if (isConjunction(query, start, i)) {
                    return true;
                }
                start = -1;
            }
        }
        return false;
    }

    /**
     * True when {@code query} asks for the present state of something: it says "now", "current", "currently",
     * "nowadays", "still", "anymore", "latest" or "these days" (any case, whole words). What such a question asks about
     * may have changed since it was first stated ("Where does Maya live now?"), so recall looks for the later
     * statement too ({@code Recaller}). Linear in the query's length.
     */
    public static boolean asksCurrent(final CharSequence query) {
        Objects.requireNonNull(query, "query");
        final int n = query.length();
        int start = -1;
        boolean these = false;
        for (int i = 0; i <= n; i++) {
            final boolean letter = i < n && Character.isLetter(query.charAt(i));
            if (letter && start < 0) {
                start = i;
            } else if (!letter && start >= 0) {
                if (isPresent(query, start, i) || (these && equalsIgnoreCase(query, start, i, "days"))) {
                    return true;
                }
                these = equalsIgnoreCase(query, start, i, "these");
                start = -1;
            }
        }
        return false;
    }

    private static boolean isPresent(final CharSequence s, final int from, final int to) {
        for (final String word : PRESENT) {
            if (equalsIgnoreCase(s, from, to, word)) {
                return true;
            }
        }
        return false;
    }

    private static final String[] PRESENT = {"now", "current", "currently", "nowadays", "still", "anymore", "latest"};

    private static boolean isConjunction(final CharSequence s, final int from, final int to) {
        return equalsIgnoreCase(s, from, to, "and") || equalsIgnoreCase(s, from, to, "both");
    }

    private static boolean equalsIgnoreCase(final CharSequence s, final int from, final int to, final String word) {
        if (to - from != word.length()) {
            return false;
        }
        for (int i = 0; i < word.length(); i++) {
            if (Character.toLowerCase(s.charAt(from + i)) != word.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
