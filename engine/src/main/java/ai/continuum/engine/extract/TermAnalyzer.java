package ai.continuum.engine.extract;

import java.util.Locale;
import java.util.Set;

/**
 * Turns text into the terms of the lexical memory index: runs of letters and digits, lower-cased with
 * {@link Locale#ROOT}, query stop words dropped, then lightly stemmed ({@link #stem}) so that "moved", "moving" and
 * "moves" meet. The same analysis runs on stored memories and on recall queries.
 *
 * <p>Stateless and thread-safe.
 */
public final class TermAnalyzer {
    /** Shorter tokens carry no evidence. */
    public static final int MIN_TERM_CHARS = 2;

    public static final int MAX_TERM_CHARS = 40;

    /**
     * Words too common to be evidence. Deliberately short (the classic English list plus question words): verbs such
     * as "like", "want" or "make" are stop words for concept keywords but carry facts here ("Maya likes climbing").
     * Measured on the evaluation sets: a longer list (pronouns, auxiliaries) gained 2 points of hit@5 on one set and
     * lost 3 on the other.
     */
    static final Set<String> STOP = Set.of(
            "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it", "no", "not",
            "of", "on", "or", "such", "that", "the", "their", "then", "there", "these", "they", "this", "to", "was",
            "will", "with", "what", "which", "who", "whom", "where", "when", "why", "how");

    /**
     * The auxiliaries a question is built with ("Why did Nadia...", "How could she...", "What does Ines do?"), as
     * {@link #stem} leaves them: in a question they carry its grammar, not its content, and a short turn that happens
     * to contain one ("Did Magda OK it?", "Could Rafael have her?") would otherwise score high on it alone and lend its
     * session neighbours a share. A query term only: a memory keeps them (its length, and "did" in "I did the
     * marathon" is a fact), so existing indexes are unchanged. Measured on every evaluation set (benchmarks/RESULTS.md,
     * eighteenth session): hit@5 +1.6 to +3.2 points on the development, hard and both held-out sets.
     */
    static final Set<String> QUESTION_AUXILIARIES = Set.of(
            "do", "doe", "did", "can", "could", "would", "should", "hav", "has", "had", "be", "been", "am", "wer");

    private static final String[][] QUESTION_AUXILIARIES_BY_LENGTH = byLength(QUESTION_AUXILIARIES);

    private TermAnalyzer() {}

    /**
     * The stop words by length, for checking a term held in a buffer without making a string of it: a token longer
     * than every stop word (most tokens) is settled by one comparison, a short one against the few of its length.
     * This check runs on every token of every memory indexed.
     */
    private static final String[][] STOP_BY_LENGTH = byLength(STOP);

    /** Receives the terms of {@link #forEachTerm}; {@code term} is a reused buffer, valid only during the call. */
    @FunctionalInterface
    public interface TermSink {
        void accept(CharSequence term);

        /**
         * The term, and whether this occurrence is said as a name ({@link #forEachTerm}); a sink that does not need
         * to know takes the term alone.
         */
        default void accept(final CharSequence term, final boolean saidAsName) {
            accept(term);
        }
    }

    /**
     * Every term of {@code text}, repeats included, in order (a memory's length counts them). Each is built in
     * {@code scratch} and handed to {@code sink} as that buffer, so an ASCII text is analysed without allocating (recall
     * reads the terms of the memories it follows). A token with a non-ASCII char goes through
     * {@link String#toLowerCase(Locale)}, whose root-locale rules (a final sigma, a dotted capital I) a char-wise
     * lower-casing would not reproduce.
     *
     * <p>Each occurrence is also told whether it is said as a name: a Title-Case word of letters only (at least three)
     * that does not start a sentence (the first word of a sentence is capitalised whatever it is) and is not set off
     * as the one spoken to ({@link #addressed}). Recall bridges over the names a memory says (a relative, a pet, a
     * place); the shape is taken here, where the text is read anyway, so recall never reads the text again.
     */
    public static void forEachTerm(final CharSequence text, final StringBuilder scratch, final TermSink sink) {
        final int length = text.length();
        int start = -1;
        boolean letters = false;
        boolean digits = false;
        boolean sentenceStart = true;
        for (int i = 0; i <= length; i++) {
            final char c = i < length ? text.charAt(i) : '.';
            final boolean letter = Character.isLetter(c);
            final boolean wordChar = letter || (i < length && Character.isDigit(c));
            if (wordChar) {
                if (start < 0) {
                    start = i;
                    letters = false;
                    digits = false;
                }
                letters |= letter;
                digits |= !letter;
                continue;
            }
            if (start >= 0) {
                final int len = i - start;
                if (len >= MIN_TERM_CHARS && len <= MAX_TERM_CHARS && token(text, start, i, scratch)) {
                    stem(scratch);
                    sink.accept(scratch, !sentenceStart && !digits && !addressed(c) && isName(text, start, i));
                }
                sentenceStart &= !letters;
                start = -1;
            }
            if (c == '.' || c == '!' || c == '?' || c == ':') {
                sentenceStart = true;
            }
        }
    }

    /**
     * Whether the punctuation right after a name sets it off as the one spoken to ("Hi Sam, ...", "Thanks, Mateo."):
     * the other speaker is named in half the conversation and leads to nothing in particular.
     */
    private static boolean addressed(final char after) {
        return after == ',' || after == '.' || after == '!' || after == '?';
    }

    /** Whether {@code text[from, to)} (letters only) is a Title-Case word of at least three letters. */
    private static boolean isName(final CharSequence text, final int from, final int to) {
        if (to - from < 3 || !Character.isUpperCase(text.charAt(from))) {
            return false;
        }
        for (int i = from + 1; i < to; i++) {
            if (!Character.isLowerCase(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Puts the lower-cased token text[start, end) into {@code out}; false when it is a stop word. */
    private static boolean token(final CharSequence text, final int start, final int end, final StringBuilder out) {
        out.setLength(0);
        for (int i = start; i < end; i++) {
            final char c = text.charAt(i);
            if (c >= 0x80) {
                final String lower = text.subSequence(start, end).toString().toLowerCase(Locale.ROOT);
                out.setLength(0);
                out.append(lower);
                return !STOP.contains(lower);
            }
            out.append(c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c);
        }
        return !isStop(out);
    }

    private static boolean isStop(final CharSequence token) {
        return isAmong(STOP_BY_LENGTH, token, 0, token.length());
    }

    /**
     * Whether the term {@code chars[from, to)}, as {@link #forEachTerm} hands it over, is one of the
     * {@link #QUESTION_AUXILIARIES}: a query term recall gives no lexical weight.
     */
    public static boolean isQuestionAuxiliary(final CharSequence chars, final int from, final int to) {
        return isAmong(QUESTION_AUXILIARIES_BY_LENGTH, chars, from, to);
    }

    private static boolean isAmong(
            final String[][] wordsByLength, final CharSequence chars, final int from, final int to) {
        final int length = to - from;
        if (length >= wordsByLength.length) {
            return false;
        }
        for (final String word : wordsByLength[length]) {
            if (regionEquals(word, chars, from)) {
                return true;
            }
        }
        return false;
    }

    private static boolean regionEquals(final String word, final CharSequence chars, final int from) {
        for (int i = 0; i < word.length(); i++) {
            if (word.charAt(i) != chars.charAt(from + i)) {
                return false;
            }
        }
        return true;
    }

    private static String[][] byLength(final Set<String> words) {
        int longest = 0;
        for (final String w : words) {
            longest = Math.max(longest, w.length());
        }
        final String[][] out = new String[longest + 1][];
        for (int length = 0; length <= longest; length++) {
            final int l = length;
            out[length] = words.stream().filter(w -> w.length() == l).toArray(String[]::new);
        }
        return out;
    }

    /**
     * A light English suffix stemmer: plurals ("cities" -> "city", "boxes" -> "box", "cats" -> "cat"), then "-ing" and
     * "-ed" (with a doubled final consonant undone: "running" -> "run"), then a final silent "e" ("move", "moving" ->
     * "mov"). Words of other languages pass through mostly unchanged. Conflating too little costs recall; conflating
     * unrelated words costs precision; these rules sit at the cautious end.
     */
    public static String stem(final String word) {
        final StringBuilder w = new StringBuilder(word);
        stem(w);
        return w.toString();
    }

    /** {@link #stem(String)} in place. */
    static void stem(final StringBuilder w) {
        final int n = w.length();
        if (n > 4 && endsWith(w, "ies")) {
            w.setLength(n - 3);
            w.append('y');
        } else if (n > 4
                && (endsWith(w, "sses")
                        || endsWith(w, "xes")
                        || endsWith(w, "ches")
                        || endsWith(w, "shes")
                        || endsWith(w, "zes"))) {
            w.setLength(n - 2);
        } else if (n > 3 && endsWith(w, "s") && !endsWith(w, "ss") && !endsWith(w, "us") && !endsWith(w, "is")) {
            w.setLength(n - 1);
        }
        if (w.length() > 5 && endsWith(w, "ing")) {
            w.setLength(w.length() - 3);
            undouble(w);
        } else if (w.length() > 4 && endsWith(w, "ed") && !endsWith(w, "eed")) {
            w.setLength(w.length() - 2);
            undouble(w);
        }
        if (w.length() > 3 && endsWith(w, "e")) {
            w.setLength(w.length() - 1);
        }
    }

    private static boolean endsWith(final StringBuilder w, final String suffix) {
        final int from = w.length() - suffix.length();
        if (from < 0) {
            return false;
        }
        for (int i = 0; i < suffix.length(); i++) {
            if (w.charAt(from + i) != suffix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static void undouble(final StringBuilder w) {
        final int n = w.length();
        if (n >= 3 && w.charAt(n - 1) == w.charAt(n - 2) && "bdfgmnprt".indexOf(w.charAt(n - 1)) >= 0) {
            w.setLength(n - 1);
        }
    }
}
