package ai.continuum.engine.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TokensTest {

    private static int title(final String word) {
        return Tokens.titleLength(word, 0, word.length());
    }

    @Test
    void shouldMeasureTitleCaseWordsInLettersIgnoringMarks() {
        assertEquals(8, title("Learning"));
        assertEquals(3, title("Zoe\u0308"));
        assertEquals(Tokens.NO_MATCH, title("A"));
        assertEquals(Tokens.NO_MATCH, title("LearningRate"));
        assertEquals(Tokens.NO_MATCH, title("learning"));
        assertEquals(Tokens.NO_MATCH, title("Learning2"));
    }

    @Test
    void shouldRecogniseEachQueryShapeOnWholeWordsOnly() {
        assertTrue(Tokens.isSegmentedCamel("HashMapEntry", 0, 12));
        assertFalse(Tokens.isSegmentedCamel("Hash", 0, 4));
        assertTrue(Tokens.isSnake("a_b", 0, 3));
        assertFalse(Tokens.isSnake("abc", 0, 3));
        assertTrue(Tokens.isAcronym("ÅÄÖ", 0, 3));
        assertFalse(Tokens.isAcronym("A", 0, 1));
        assertEquals(4, Tokens.wordLength("Word", 0, 4));
        assertEquals(Tokens.NO_MATCH, Tokens.wordLength("WOrd", 0, 4));
    }

    @Test
    void shouldEndTokensAtNonWordCharactersOnly() {
        final String text = "naïve_x2 Zoe\u0308-end";
        assertEquals(8, Chars.tokenEnd(text, 0));
        assertEquals(13, Chars.tokenEnd(text, 9));
    }
}
