package ai.continuum.engine.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CodeSpansTest {
    private static final String F = String.valueOf(Chars.CODE_FILLER);

    @Test
    void shouldReturnSameStringWhenThereIsNoBacktick() {
        final String text = "plain prose";
        assertSame(text, CodeSpans.blank(text));
    }

    @Test
    void shouldBlankFencedBlockAndInlineSpanKeepingOffsets() {
        final String text = "a ```js\nx\n``` b `c` d";
        final String blanked = CodeSpans.blank(text);
        assertEquals(text.length(), blanked.length());
        assertEquals("a " + F.repeat(11) + " b " + F.repeat(3) + " d", blanked);
    }

    @Test
    void shouldSkipEmptyInlinePairAndLetItsSecondBacktickOpenASpan() {
        assertEquals("``" + F.repeat(3), CodeSpans.blank("```x`"));
        assertEquals("`" + F.repeat(3), CodeSpans.blank("``x`"));
    }

    @Test
    void shouldFindIndicatorsOnlyInsideTheRegion() {
        assertTrue(CodeSpans.containsIndicator("x == y", 0, 6));
        assertFalse(CodeSpans.containsIndicator("x == y", 3, 6));
        assertFalse(CodeSpans.containsIndicator("let", 0, 3));
        assertTrue(CodeSpans.containsIndicator("let x", 0, 5));
    }
}
