package ai.continuum.engine.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TermListTest {
    private final TermList list = new TermList();
    private final StringBuilder scratch = new StringBuilder();

    @Test
    void shouldHoldTheDistinctTermsInTheOrderTheAnalyserGives() {
        final String text = "Rosa moved to Naples; Rosa likes Naples and the ΟΔΟΣ, moving on";
        TermAnalyzer.forEachTerm(text, scratch, list);
        assertEquals(AnalyzedTerms.distinct(text), terms());
        assertTrue(list.contains("rosa"));
        assertTrue(
                list.contains(new StringBuilder(AnalyzedTerms.distinct("Naples").get(0))), "a builder's text");
        assertFalse(list.contains("the"), "a stop word is not a term");
        assertFalse(list.contains("ros"));
    }

    @Test
    void shouldGiveWhatTheAnalyserGivesForRandomTextsOfEverySize() {
        final SplittableRandom random = new SplittableRandom(7);
        final String[] words = new String[3_000];
        for (int i = 0; i < words.length; i++) {
            words[i] = "w" + Integer.toString(i, 36) + (i % 3 == 0 ? "ing" : "");
        }
        for (int round = 0; round < 200; round++) {
            final StringBuilder text = new StringBuilder();
            // mostly short questions, sometimes thousands of words: the table grows, and shrinks on the next clear
            final int count = round % 20 == 0 ? 5_000 : random.nextInt(30);
            for (int i = 0; i < count; i++) {
                text.append(words[random.nextInt(round % 2 == 0 ? 40 : words.length)])
                        .append(' ');
            }
            list.clear();
            TermAnalyzer.forEachTerm(text, scratch, list);
            final List<String> expected = AnalyzedTerms.distinct(text.toString());
            assertEquals(expected, terms(), text.toString());
            for (final String term : expected) {
                assertTrue(list.contains(term), term);
            }
        }
    }

    @Test
    void shouldForgetEverythingOnClear() {
        TermAnalyzer.forEachTerm("alpha beta gamma", scratch, list);
        list.clear();
        assertEquals(0, list.size());
        assertFalse(list.contains("alpha"));
        TermAnalyzer.forEachTerm("beta delta", scratch, list);
        assertEquals(List.of("beta", "delta"), terms());
    }

    private List<String> terms() {
        final List<String> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            out.add(list.get(i));
        }
        return out;
    }
}
