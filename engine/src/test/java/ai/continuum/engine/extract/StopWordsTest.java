package ai.continuum.engine.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class StopWordsTest {

    @Test
    void shouldHoldEveryExtractionStopWordOfTheSpecification() {
        assertEquals(61, StopWords.EXTRACTION.size());
        assertTrue(StopWords.EXTRACTION.containsAll(List.of("The", "Just", "Primary", "Learn", "Checking")));
    }

    @Test
    void shouldCompareExtractionStopWordsCaseSensitively() {
        assertTrue(StopWords.isExtractionStopWord("Memory"));
        assertFalse(StopWords.isExtractionStopWord("memory"));
        assertFalse(StopWords.isExtractionStopWord("MEMORY"));
    }

    @Test
    void shouldCompareQueryStopWordsIgnoringCase() {
        assertTrue(StopWords.isQueryStopWord("Because"));
        assertTrue(StopWords.isQueryStopWord("THROUGH"));
        assertFalse(StopWords.isQueryStopWord("graph"));
    }

    @Test
    void shouldKeepQueryStopWordsLowerCase() {
        for (final String word : StopWords.QUERY) {
            assertEquals(word.toLowerCase(Locale.ROOT), word);
        }
        assertTrue(StopWords.QUERY.containsAll(List.of("been", "ought", "further", "whom", "take")));
    }

    @Test
    void shouldAgreeWithRegionLookupsForEveryMember() {
        for (final String word : StopWords.EXTRACTION) {
            final String padded = "x" + word + "y";
            assertTrue(StopWords.isExtractionStopWord(padded, 1, 1 + word.length()), word);
            assertFalse(StopWords.isExtractionStopWord(padded, 0, 1 + word.length()), word);
        }
        for (final String word : StopWords.QUERY) {
            final String upper = "-" + word.toUpperCase(Locale.ROOT) + "-";
            assertTrue(StopWords.isQueryStopWord(upper, 1, 1 + word.length()), word);
            final String prefix = word.substring(0, word.length() - 1);
            if (!StopWords.QUERY.contains(prefix)) {
                assertFalse(StopWords.isQueryStopWord(upper, 1, word.length()), word);
            }
        }
    }
}
