package ai.continuum.engine.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TermAnalyzerTest {
    @Test
    void shouldLowerCaseDropStopWordsAndKeepFirstOccurrenceOrder() {
        assertEquals(
                List.of("doe", "maya", "lik", "climb", "friday"),
                AnalyzedTerms.distinct("What does Maya like? Maya likes climbing on Fridays."));
    }

    @Test
    void shouldTellTheAuxiliariesOfAQuestionAsTheyAreAnalysed() {
        for (final String auxiliary : List.of("did", "does", "do", "could", "would", "should", "can", "have", "has")) {
            final String term = AnalyzedTerms.distinct(auxiliary).get(0);
            assertTrue(TermAnalyzer.isQuestionAuxiliary("x" + term + "y", 1, 1 + term.length()), auxiliary);
        }
        for (final String content : List.of("dog", "canal", "hadley", "nadia", "beer")) {
            final String term = AnalyzedTerms.distinct(content).get(0);
            assertFalse(TermAnalyzer.isQuestionAuxiliary(term, 0, term.length()), content);
        }
    }

    @Test
    void shouldConflateCommonEnglishSuffixes() {
        assertEquals("city", TermAnalyzer.stem("cities"));
        assertEquals("box", TermAnalyzer.stem("boxes"));
        assertEquals("cat", TermAnalyzer.stem("cats"));
        assertEquals("run", TermAnalyzer.stem("running"));
        assertEquals(TermAnalyzer.stem("moved"), TermAnalyzer.stem("moving"));
        assertEquals(TermAnalyzer.stem("move"), TermAnalyzer.stem("moves"));
        assertEquals("glass", TermAnalyzer.stem("glass"));
        assertEquals("bus", TermAnalyzer.stem("bus"));
    }

    @Test
    void shouldKeepUnicodeWordsAndDigits() {
        assertEquals(List.of("zoë", "straß", "2024"), AnalyzedTerms.distinct("Zoë, Straße in 2024"));
        assertEquals(4, AnalyzedTerms.count("Zoë met Zoë in 2024"));
    }

    @Test
    void shouldLowerCaseNonAsciiTokensByTheRootLocaleRules() {
        // a final sigma and a dotted capital I lower-case differently in a string than char by char
        assertEquals(List.of("οδος", "i\u0307stanbul", "ölçek"), terms("ΟΔΟΣ İstanbul ÖLÇEK"));
        assertEquals(AnalyzedTerms.distinct("THE Cities AND Boxes"), terms("THE Cities AND Boxes"));
    }

    @Test
    void shouldTellTheTermsSaidAsNames() {
        // a Title-Case word of three letters or more, not opening a sentence, not the one spoken to, letters only
        assertEquals(
                List.of("rosa", "clara", "kyoto"),
                names("Anselm is Rosa's aunt. Hi Sam, I saw Clara: Juniper came. Thanks, Mateo! Dev2 flew to Kyoto via"
                        + " Osaka"));
        assertEquals(List.of("zoë"), names("we met Zoë and ZOË today"));
        assertEquals(List.of(), names("Ann: Hello Bo"));
    }

    private static List<String> names(final String text) {
        final List<String> out = new ArrayList<>();
        TermAnalyzer.forEachTerm(text, new StringBuilder(), new TermAnalyzer.TermSink() {
            @Override
            public void accept(final CharSequence term) {
                throw new AssertionError("the analyser tells every term's shape");
            }

            @Override
            public void accept(final CharSequence term, final boolean saidAsName) {
                if (saidAsName) {
                    out.add(term.toString());
                }
            }
        });
        return out;
    }

    @Test
    void shouldAnalyseAsciiTextWithoutAllocating() {
        final String text = "Maya MOVED to Lisbon; the cities' boxes were running late in 2024, glasses and buses.";
        final StringBuilder scratch = new StringBuilder(TermAnalyzer.MAX_TERM_CHARS);
        final int[] count = {0};
        final TermAnalyzer.TermSink sink = t -> count[0] += t.length();
        for (int i = 0; i < 20_000; i++) { // warm up, so that the figure below is the compiled loop's
            TermAnalyzer.forEachTerm(text, scratch, sink);
        }
        final com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        final long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 1_000; i++) {
            TermAnalyzer.forEachTerm(text, scratch, sink);
        }
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        // the string path allocated several objects per term: 13 terms x 1,000 calls would be hundreds of kilobytes
        assertEquals(true, allocated < 4_096, () -> allocated + " bytes allocated by 1,000 analyses");
    }

    private static List<String> terms(final String text) {
        final List<String> out = new ArrayList<>();
        TermAnalyzer.forEachTerm(text, new StringBuilder(), t -> out.add(t.toString()));
        return out;
    }
}
