package ai.continuum.engine.extract;

/**
 * Shape tests on one token {@code s[from, to)} (a maximal run of word characters, see {@link Chars}). Each test
 * reads the whole token, so a shape always describes a whole word, the way {@code \b...\b} regexes do. Combining
 * marks are skipped: they belong to the letter before them. Stateless.
 */
final class Tokens {
    /** Returned by the length-valued tests when the token does not have the shape. */
    static final int NO_MATCH = -1;

    private Tokens() {}

    /**
     * Title-Case word: an uppercase (or titlecase) letter followed by one or more lowercase letters and nothing else
     * ("Learning", "Zoë", "Straße"). Returns its length in letters, or {@link #NO_MATCH}.
     */
    static int titleLength(final String s, final int from, final int to) {
        int cp = s.codePointAt(from);
        if (!Chars.isUpper(cp)) {
            return NO_MATCH;
        }
        int letters = 1;
        for (int i = from + Character.charCount(cp); i < to; i += Character.charCount(cp)) {
            cp = s.codePointAt(i);
            if (Chars.isLower(cp)) {
                letters++;
            } else if (!Chars.isMark(cp)) {
                return NO_MATCH;
            }
        }
        return letters > 1 ? letters : NO_MATCH;
    }

    /**
     * Extraction CamelCase: uppercase, one or more lowercase, uppercase, then one or more letters of any case
     * ("TensorFlow", "JavaScript", "PostgreSQL", "McDonald"; not "iPhone", "HTML" or "XMLHttpRequest").
     */
    static boolean isCamel(final String s, final int from, final int to) {
        int cp = s.codePointAt(from);
        if (!Chars.isUpper(cp)) {
            return false;
        }
        int i = from + Character.charCount(cp);
        int lowers = 0;
        while (i < to) {
            cp = s.codePointAt(i);
            if (Chars.isLower(cp)) {
                lowers++;
            } else if (!Chars.isMark(cp)) {
                break;
            }
            i += Character.charCount(cp);
        }
        if (lowers == 0 || i >= to || !Chars.isUpper(cp)) {
            return false;
        }
        i += Character.charCount(cp);
        int tail = 0;
        while (i < to) {
            cp = s.codePointAt(i);
            if (Chars.isLetter(cp)) {
                tail++;
            } else if (!Chars.isMark(cp)) {
                return false;
            }
            i += Character.charCount(cp);
        }
        return tail > 0;
    }

    /** Query CamelCase: two or more Title-Case segments run together ("TensorFlow", "JavaScript"; not "PostgreSQL"). */
    static boolean isSegmentedCamel(final String s, final int from, final int to) {
        int segments = 0;
        int i = from;
        while (i < to) {
            int cp = s.codePointAt(i);
            if (!Chars.isUpper(cp)) {
                return false;
            }
            i += Character.charCount(cp);
            int lowers = 0;
            while (i < to) {
                cp = s.codePointAt(i);
                if (Chars.isLower(cp)) {
                    lowers++;
                } else if (!Chars.isMark(cp)) {
                    break;
                }
                i += Character.charCount(cp);
            }
            if (lowers == 0) {
                return false;
            }
            segments++;
        }
        return segments >= 2;
    }

    /** snake_case: lowercase runs joined by single underscores, at least two runs ("max_concepts"). */
    static boolean isSnake(final String s, final int from, final int to) {
        int runs = 0;
        int lowers = 0;
        int i = from;
        while (i < to) {
            final int cp = s.codePointAt(i);
            if (Chars.isLower(cp)) {
                lowers++;
            } else if (cp == '_') {
                if (lowers == 0) {
                    return false;
                }
                runs++;
                lowers = 0;
            } else if (!Chars.isMark(cp) || lowers == 0) {
                return false;
            }
            i += Character.charCount(cp);
        }
        return lowers > 0 && runs >= 1;
    }

    /** Acronym: two or more uppercase letters and nothing else ("API", "HTTP"; not "HTML5"). */
    static boolean isAcronym(final String s, final int from, final int to) {
        int uppers = 0;
        int i = from;
        while (i < to) {
            final int cp = s.codePointAt(i);
            if (Chars.isUpper(cp)) {
                uppers++;
            } else if (!Chars.isMark(cp) || uppers == 0) {
                return false;
            }
            i += Character.charCount(cp);
        }
        return uppers >= 2;
    }

    /**
     * Plain word: a letter of any case followed only by lowercase letters ("memory", "Graph", "élodie"; not "HTML",
     * "TensorFlow" or "v2"). Returns its length in letters, or {@link #NO_MATCH}.
     */
    static int wordLength(final String s, final int from, final int to) {
        int cp = s.codePointAt(from);
        if (!Chars.isLetter(cp)) {
            return NO_MATCH;
        }
        int letters = 1;
        for (int i = from + Character.charCount(cp); i < to; i += Character.charCount(cp)) {
            cp = s.codePointAt(i);
            if (Chars.isLower(cp)) {
                letters++;
            } else if (!Chars.isMark(cp)) {
                return NO_MATCH;
            }
        }
        return letters;
    }
}
