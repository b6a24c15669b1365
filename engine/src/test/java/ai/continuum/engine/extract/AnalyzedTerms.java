package ai.continuum.engine.extract;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** A text's terms as strings, for tests to state what {@link TermAnalyzer#forEachTerm} yields. */
final class AnalyzedTerms {
    private AnalyzedTerms() {}

    /** The distinct terms of {@code text}, in order of first appearance. */
    static List<String> distinct(final String text) {
        final Set<String> out = new LinkedHashSet<>();
        TermAnalyzer.forEachTerm(text, new StringBuilder(TermAnalyzer.MAX_TERM_CHARS), t -> out.add(t.toString()));
        return new ArrayList<>(out);
    }

    /** How many terms {@code text} has, repeats included. */
    static int count(final String text) {
        final int[] n = {0};
        TermAnalyzer.forEachTerm(text, new StringBuilder(TermAnalyzer.MAX_TERM_CHARS), t -> n[0]++);
        return n[0];
    }
}
