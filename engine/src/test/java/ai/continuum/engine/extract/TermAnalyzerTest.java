package ai.continuum.engine.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class TermAnalyzerTest {
    @Test
    void shouldLowerCaseDropStopWordsAndKeepFirstOccurrenceOrder() {
        assertEquals(
                List.of("doe", "maya", "lik", "climb", "friday"),
                TermAnalyzer.distinctTerms("What does Maya like? Maya likes climbing on Fridays."));
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
        assertEquals(List.of("zoë", "straß", "2024"), TermAnalyzer.distinctTerms("Zoë, Straße in 2024"));
        assertEquals(4, TermAnalyzer.termCount("Zoë met Zoë in 2024"));
    }
}
